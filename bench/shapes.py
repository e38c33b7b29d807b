"""The benchmark's data shapes: each sets up a tenant's accounts, categories, budgets
and rates through the ORM, then yields its transactions as plain rows.

Rows are not saved here: ``bench.tenants`` bulk-loads them (COPY on PostgreSQL)
and rebuilds the rollups once. Every shape is deterministic for a given size.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the models load only once Django is set up, in the child process
    from findash.ledger.models import Account, Category
    from findash.tenancy.models import Tenant


class Row(NamedTuple):
    """One transaction to insert; ``amount`` is an exact decimal string."""

    account_id: int
    date: date
    amount: str
    currency: str
    category_id: int | None
    description: str
    payee: str
    transfer_id: str | None


@dataclass(frozen=True)
class Span:
    """The days the data covers: ``first`` to ``last`` inclusive."""

    first: date
    last: date

    def day(self, rng: random.Random) -> date:
        return self.first + timedelta(days=rng.randrange((self.last - self.first).days + 1))


Shape = Callable[["Tenant", int, Span, random.Random], Iterator[Row]]


def years_before(day: date, years: int) -> date:
    """The first day of the ``years``-year period ending on ``day``."""
    try:
        earlier = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        earlier = day.replace(year=day.year - years, day=28)
    return earlier + timedelta(days=1)


def money(cents: int) -> str:
    """Integer hundredths as an exact decimal string (no float on the way)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _account(name: str, kind: str, currency: str = "USD", opening: int = 1000) -> Account:
    from findash.ledger.models import Account

    return Account.objects.create(
        name=name, type=kind, currency=currency, opening_balance=Decimal(opening)
    )


def _categories(kind: str, count: int, prefix: str, parent: Any = None) -> list[Category]:
    from findash.ledger.models import Category

    return [
        Category.objects.create(name=f"{prefix} {i}", kind=kind, parent=parent)
        for i in range(count)
    ]


def _budget(
    category: Category, amount: int, rollover: str, span: Span, currency: str = "USD"
) -> None:
    from findash.budgets.models import Budget

    Budget.objects.create(
        category=category,
        amount=Decimal(amount),
        currency=currency,
        rollover=rollover,
        start_date=span.first,
    )


def _transfer(
    rng: random.Random, day: date, source: Account, target: Account, out: int, into: int
) -> Iterator[Row]:
    link = uuid.UUID(int=rng.getrandbits(128)).hex  # the form both databases store
    yield Row(source.pk, day, money(-out), source.currency, None, "transfer", "", link)
    yield Row(target.pk, day, money(into), target.currency, None, "transfer", "", link)


def demo(tenant: Tenant, size: int, span: Span, rng: random.Random) -> Iterator[Row]:
    """Like the demo: 7 accounts, 4 income and 24 nested expense categories, 200 payees,
    salary, 2 % transfers, a few refunds, 5 budgets with rollover."""
    kinds = ["checking", "checking", "savings", "credit_card", "cash", "loan", "investment"]
    accounts = [_account(f"{kind} {i}", kind) for i, kind in enumerate(kinds)]
    income = _categories("income", 4, "Income")
    parents = _categories("expense", 8, "Spend")
    children = [
        child
        for i, parent in enumerate(parents)
        for child in _categories("expense", 2, f"Spend {i}.", parent)
    ]
    expense = parents + children
    for category in parents[:5]:
        _budget(category, 500, rng.choice(["none", "surplus", "full"]), span)
    payee_category = [rng.choice(expense).pk for _ in range(200)]
    spending = [a for a in accounts if a.type in ("checking", "credit_card", "cash")]
    made = 0
    while made < size:
        day, roll = span.day(rng), rng.random()
        if roll < 0.02 and made + 2 <= size:
            cents = rng.randrange(1000, 100000)
            yield from _transfer(rng, day, accounts[0], accounts[2], cents, cents)
            made += 2
            continue
        if roll < 0.10:
            category, amount, payee = rng.choice(income).pk, rng.randrange(50000, 500000), 200
            account = accounts[0]
        else:
            payee, amount = rng.randrange(200), rng.randrange(-20000, 1000)  # a few refunds
            category = payee_category[payee] if rng.random() > 0.05 else None
            account = rng.choice(spending)
        name = "Employer" if payee == 200 else f"Payee {payee}"
        yield Row(account.pk, day, money(amount), "USD", category, "", name, None)
        made += 1


def _flat(payees: int) -> Shape:
    def shape(tenant: Tenant, size: int, span: Span, rng: random.Random) -> Iterator[Row]:
        account = _account("Checking", "checking")
        categories = _categories("expense", 19, "Spend") + _categories("income", 1, "Income")
        for category in categories[:2]:
            _budget(category, 2000, "surplus", span)
        ids = [c.pk for c in categories]
        for _ in range(size):
            yield Row(
                account.pk,
                span.day(rng),
                money(-rng.randrange(100, 10000)),
                "USD",
                rng.choice(ids),
                "",
                f"Payee {rng.randrange(payees)}",
                None,
            )

    return shape


flat = _flat(50)
flat.__doc__ = """The issue's shape: one account, 19 expense and 1 income category, every
category (the income one too) receiving outflows of 1.00-99.99, 50 payees."""
payees10k = _flat(10_000)
payees10k.__doc__ = "Like ``flat`` with 10,000 distinct payees."


def equal(tenant: Tenant, size: int, span: Span, rng: random.Random) -> Iterator[Row]:
    """Ties everywhere: 90 % of rows are exactly -10.00, income exactly 2500.00, budgets."""
    checking, card = _account("Checking", "checking"), _account("Card", "credit_card", opening=0)
    expense = _categories("expense", 10, "Spend")
    salary = _categories("income", 1, "Salary")[0]
    for category in expense[:4]:
        _budget(category, 300, rng.choice(["none", "surplus", "full"]), span)
    for _ in range(size):
        roll = rng.random()
        if roll < 0.03:
            row = (checking.pk, 250000, salary.pk, "Employer")
        elif roll < 0.93:
            row = (rng.choice((checking.pk, card.pk)), -1000, rng.choice(expense).pk, "")
        else:
            row = (card.pk, -rng.randrange(100, 50000), rng.choice(expense).pk, "")
        account, amount, category, payee = row
        payee = payee or f"Payee {rng.randrange(50)}"
        yield Row(account, span.day(rng), money(amount), "USD", category, "", payee, None)


# Base USD; mid rates the daily rates wander around. JPY has no minor unit.
_FX_PAIRS = {
    ("EUR", "USD"): 1.08,
    ("GBP", "USD"): 1.27,
    ("USD", "JPY"): 150.0,
    ("EUR", "GBP"): 0.85,
}
_PER_USD = {"USD": 1.0, "EUR": 1 / 1.08, "GBP": 1 / 1.27, "JPY": 150.0}


def _rates(tenant: Tenant, span: Span, rng: random.Random) -> None:
    from findash.ledger.models import ExchangeRate

    rates = []
    for (base, quote), mid in _FX_PAIRS.items():
        day, level = span.first, mid
        while day <= span.last:
            level = min(mid * 1.2, max(mid * 0.8, level * (1 + rng.uniform(-0.004, 0.004))))
            rates.append(
                ExchangeRate(tenant=tenant, date=day, base=base, quote=quote, rate=f"{level:.6f}")
            )
            day += timedelta(days=1)
    ExchangeRate.objects.bulk_create(rates, batch_size=2000)


def _in_currency(usd_cents: int, currency: str) -> int:
    """An amount worth about ``usd_cents``, in ``currency``'s hundredths (whole yen)."""
    converted = round(usd_cents * _PER_USD[currency])
    return converted - converted % 100 if currency == "JPY" else converted


def fx(tenant: Tenant, size: int, span: Span, rng: random.Random) -> Iterator[Row]:
    """USD base with EUR, GBP and JPY accounts, a rate a day for each pair, transfers across
    currencies, refunds, and budgets in EUR as well as USD."""
    _rates(tenant, span, rng)
    accounts = [
        _account("US checking", "checking"),
        _account("US card", "credit_card", opening=0),
        _account("EU checking", "checking", "EUR"),
        _account("UK savings", "savings", "GBP"),
        _account("JP cash", "cash", "JPY", opening=100000),
    ]
    salary = _categories("income", 2, "Salary")
    expense = _categories("expense", 15, "Spend")
    for category in expense[:3]:
        _budget(category, 400, "surplus", span, currency="EUR")
    for category in expense[3:5]:
        _budget(category, 600, "full", span)
    made = 0
    while made < size:
        day, roll = span.day(rng), rng.random()
        if roll < 0.03 and made + 2 <= size:
            source, target = rng.sample(accounts, 2)
            usd = rng.randrange(5000, 200000)
            out, into = _in_currency(usd, source.currency), _in_currency(usd, target.currency)
            yield from _transfer(rng, day, source, target, out, into)
            made += 2
            continue
        if roll < 0.08:
            account = rng.choice((accounts[0], accounts[2]))
            amount, category, payee = (
                rng.randrange(200000, 600000),
                rng.choice(salary).pk,
                "Employer",
            )
        else:
            account = rng.choice(accounts)
            amount = rng.randrange(100, 30000) * (1 if roll > 0.95 else -1)  # 5 % refunds
            category, payee = rng.choice(expense).pk, f"Shop {rng.randrange(300)}"
        cents = _in_currency(amount, account.currency)
        yield Row(account.pk, day, money(cents), account.currency, category, "", payee, None)
        made += 1


SHAPES: dict[str, Shape] = {
    "demo": demo,
    "flat": flat,
    "payees10k": payees10k,
    "equal": equal,
    "fx": fx,
}
