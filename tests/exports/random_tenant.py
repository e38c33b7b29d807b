"""A randomized tenant built through the services: several account types and currencies,
nested categories, refunds, uncategorized flows, transfers (one across currencies),
rates, budgets and a rule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from findash.budgets.services import budget_create
from findash.ledger import services
from findash.ledger.models import Account, Category
from findash.rules.services import rule_create
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope

YEAR_START = date(2026, 1, 1)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def build(tenant: Tenant, seed: int, transactions: int = 400) -> list[Account]:
    with tenant_scope(tenant):
        return _build(tenant, seed, transactions)


def _build(tenant: Tenant, seed: int, transactions: int) -> list[Account]:
    rng = random.Random(seed)
    specs = [
        ("Checking: main", "checking", "USD"),
        ("Savings", "savings", "USD"),
        ("Visa  Card", "credit_card", "USD"),
        ("Car loan", "loan", "USD"),
        ("Euro savings", "savings", "EUR"),
    ]
    accounts = [
        services.account_create(
            tenant=tenant,
            name=name,
            type=kind,
            currency=currency,
            opening_balance=_money(rng, -500, 5000) if kind != "loan" else Decimal("-12000"),
        )
        for name, kind, currency in specs
    ]
    usd = [a for a in accounts if a.currency == "USD"]
    salary = services.category_create(tenant=tenant, name="Salary", kind="income")
    bonus = services.category_create(
        tenant=tenant, name="Bonus", kind="income", parent_id=salary.pk
    )
    food = services.category_create(tenant=tenant, name="Food", kind="expense")
    groceries = services.category_create(
        tenant=tenant, name="Groceries", kind="expense", parent_id=food.pk
    )
    rent = services.category_create(tenant=tenant, name="Rent", kind="expense")
    categories: list[Category | None] = [salary, bonus, food, groceries, rent, None, None]
    rows = []
    for _ in range(transactions):
        category = rng.choice(categories)
        sign = 1 if category is not None and category.kind == "income" else -1
        if category is None:
            sign = rng.choice((1, -1))
        elif rng.random() < 0.1:
            sign = -sign  # refunds and clawbacks
        rows.append(
            services.TransactionInput(
                account_id=rng.choice(usd).pk,
                date=YEAR_START + timedelta(days=rng.randint(0, 364)),
                amount=sign * _money(rng, 1, 900),
                category_id=None if category is None else category.pk,
                description=rng.choice(["coffee; large", "rent | march", "", "Salary"]),
                payee=rng.choice(["", "ACME", "Shop:Corner"]),
            )
        )
    services.transaction_bulk_create(tenant=tenant, rows=rows)
    for _ in range(20):
        source, target = rng.sample(usd, 2)
        services.transfer_create(
            tenant=tenant,
            from_account_id=source.pk,
            to_account_id=target.pk,
            date=YEAR_START + timedelta(days=rng.randint(0, 364)),
            amount=_money(rng, 1, 700),
            description="move",
        )
    services.transfer_create(
        tenant=tenant,
        from_account_id=usd[0].pk,
        to_account_id=accounts[4].pk,
        date=date(2026, 5, 5),
        amount=Decimal("1000.00"),
        to_amount=Decimal("921.37"),
    )
    services.exchange_rate_create(
        tenant=tenant, date=YEAR_START, base="EUR", quote="USD", rate=Decimal("1.0851")
    )
    budget_create(tenant=tenant, category_id=food.pk, amount=Decimal("400"), start_date=YEAR_START)
    budget_create(
        tenant=tenant,
        category_id=rent.pk,
        amount=Decimal("1500"),
        start_date=YEAR_START,
        rollover="surplus",
    )
    rule_create(tenant=tenant, pattern="coffee", category_id=food.pk)
    return accounts
