"""The small tables every dashboard part needs, loaded once per request: accounts,
categories, budgets and the exchange rates between the currencies involved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from findash.budgets.models import Budget
from findash.common.fx_rates import RateBook
from findash.common.fx_window import WindowedRateBook
from findash.common.months import month_end, month_start
from findash.dashboard.periods import Period
from findash.ledger.models import Account, Category, ExchangeRate
from findash.tenancy.models import Tenant

WINDOW_MONTHS = 24  # longer periods load every rate at once


def every_rate(rates: QuerySet[ExchangeRate]) -> RateBook:
    """The book of ``rates``; on PostgreSQL read as one row per pair (its days and its
    rates as text), which costs a fifth of building years of daily rates row by row."""
    if connection.vendor != "postgresql":
        return RateBook(rates.values_list("date", "base", "quote", "rate"))
    columns = (
        rates.filter(rate__gt=0)
        .values("base", "quote")
        .annotate(
            days=ArrayAgg("date", order_by="date"),
            values=StringAgg(Cast("rate", TextField()), ",", order_by="date"),
        )
        .values_list("base", "quote", "days", "values")
    )
    return RateBook.from_pairs(
        (base, quote, days, values.split(",")) for base, quote, days, values in columns
    )


def to_cents(value: object) -> int:
    return int(value.scaleb(2))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    type: str
    currency: str
    opening_cents: int

    @property
    def is_liability(self) -> bool:
        return self.type in Account.LIABILITY_TYPES


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    kind: str
    parent_id: int | None


class ReferenceData:
    """Reference data for one tenant and period. Each property runs its query at most once."""

    def __init__(self, *, tenant: Tenant, period: Period) -> None:
        self.tenant = tenant
        self.period = period
        self.base = tenant.base_currency
        self.first_month = month_start(period.start)
        self.last_month = month_start(period.end)
        # Set while the rates are not read yet by a reader that converts history per day
        # (``Flows``): then every rate is read at once.
        self.rates_history = False

    @cached_property
    def accounts(self) -> list[AccountRow]:
        return [
            AccountRow(pk, name, type_, currency, to_cents(opening))
            for pk, name, type_, currency, opening in Account.objects.order_by("id").values_list(
                "id", "name", "type", "currency", "opening_balance"
            )
        ]

    @cached_property
    def currencies(self) -> list[str]:
        return sorted({a.currency for a in self.accounts})

    def accounts_in(self, currency: str) -> list[int]:
        return [a.id for a in self.accounts if a.currency == currency]

    @cached_property
    def categories(self) -> dict[int, CategoryRow]:
        return {
            pk: CategoryRow(pk, name, kind, parent)
            for pk, name, kind, parent in Category.objects.values_list(
                "id", "name", "kind", "parent_id"
            )
        }

    @cached_property
    def expense_ids(self) -> set[int]:
        return {c.id for c in self.categories.values() if c.kind == Category.Kind.EXPENSE}

    @cached_property
    def budgets(self) -> list[Budget]:
        return list(Budget.objects.filter(start_date__lte=self.period.end).order_by("id"))

    @cached_property
    def children(self) -> dict[int | None, list[int]]:
        found: dict[int | None, list[int]] = defaultdict(list)
        for category in self.categories.values():
            found[category.parent_id].append(category.id)
        return found

    def descendants(self, category_id: int) -> set[int]:
        """The category and all categories below it."""
        children = self.children
        found, todo = set(), [category_id]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children[current])
        return found

    @cached_property
    def budget_keys(self) -> set[int]:
        """Every category a budget counts (budgets and their subcategories)."""
        return set().union(*(self.descendants(b.category_id) for b in self.budgets))

    @cached_property
    def budget_history_start(self) -> date:
        """The first month any budget's rollover chain needs."""
        starts = [month_start(b.start_date) for b in self.budgets]
        return min([self.first_month, *starts])

    @cached_property
    def targets(self) -> set[str]:
        """Currencies figures are converted into: the base and each budget's."""
        return {self.base} | {b.currency for b in self.budgets}

    @cached_property
    def rates(self) -> RateBook:
        """The rates of the period's months, and more only when asked for: all a request
        converted from the rollups needs (``WindowedRateBook``)."""
        currencies = sorted(self.targets | set(self.currencies))
        if len(currencies) == 1:
            return RateBook([])
        rates = ExchangeRate.objects.filter(base__in=currencies, quote__in=currencies)
        first, last = self.first_month, month_end(self.last_month)
        fields = ("date", "base", "quote", "rate")
        if self.rates_history or len(self.period.months()) > WINDOW_MONTHS:
            # Likely most of the history anyway: one read beats a read per pair.
            return every_rate(rates)

        def before(pair: tuple[str, str]) -> list[tuple[date, str, str, Decimal]]:
            found: list[tuple[date, str, str, Decimal]] = []
            for base, quote in (pair, pair[::-1]):
                latest = rates.filter(base=base, quote=quote, date__lt=first)
                found += latest.order_by("-date").values_list(*fields)[:1]
            return found

        return WindowedRateBook(
            rates.filter(date__range=(first, last)).values_list(*fields),
            window=(first, last),
            before=before,
            everything=lambda: rates.values_list(*fields),
        )

    def _split_for(self, targets: set[str], first: date) -> set[tuple[str, date]]:
        found = set()
        for currency in self.currencies:
            for target in targets - {currency}:
                months = self.rates.months_changing(currency, target, first, self.last_month)
                found |= {(currency, month) for month in months}
        return found

    @cached_property
    def split(self) -> set[tuple[str, date]]:
        """(currency, month) pairs whose rate into some target changes inside the month:
        their flows are converted per day."""
        if len(self.targets | set(self.currencies)) == 1:
            return set()
        return self._split_for(self.targets, self.budget_history_start)

    @cached_property
    def split_to_base(self) -> set[tuple[str, date]]:
        """Like ``split``, for conversions into the base currency only and the period's
        months only (payees, largest)."""
        if len(self.targets | set(self.currencies)) == 1:
            return set()
        return self._split_for({self.base}, self.first_month)
