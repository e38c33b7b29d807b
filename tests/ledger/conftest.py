"""Ledger fixtures: an org with two accounts and a category; clients for every role."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pytest

from findash.ledger.models import Account, Category, MonthlyRollup, Transaction
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient, World


@dataclass
class Ledger:
    world: World
    checking: Account
    savings: Account
    groceries: Category
    salary: Category
    owner: ApiClient
    member: ApiClient
    viewer: ApiClient
    outsider: ApiClient


@pytest.fixture
def ledger(world: World) -> Ledger:
    return Ledger(
        world=world,
        checking=factories.make_account(world.org, name="Checking", currency="USD"),
        savings=factories.make_account(world.org, name="Savings", type="savings", currency="USD"),
        groceries=factories.make_category(world.org, name="Groceries", kind="expense"),
        salary=factories.make_category(world.org, name="Salary", kind="income"),
        owner=world.client(world.owner, world.org),
        member=world.client(world.member, world.org),
        viewer=world.client(world.viewer, world.org),
        outsider=world.client(world.outsider),
    )


def rollups_match_transactions(tenant: Tenant) -> None:
    """Assert the stored monthly rollups equal a naive recomputation from the transactions."""
    expected: dict[tuple[int, int, object, bool], list[Decimal | int]] = defaultdict(
        lambda: [Decimal("0"), Decimal("0"), Decimal("0"), 0]
    )
    with tenant_scope(tenant):
        for txn in Transaction.objects.all():
            key = (
                txn.account_id,
                txn.category_id or 0,
                txn.date.replace(day=1),
                txn.transfer_id is not None,
            )
            totals = expected[key]
            totals[0] += txn.amount
            totals[1] += txn.amount if txn.amount > 0 else Decimal("0")
            totals[2] += -txn.amount if txn.amount < 0 else Decimal("0")
            totals[3] += 1
        columns = ("account_id", "category_key", "month", "is_transfer")
        sums = ("total", "inflow", "outflow", "count")
        stored = {
            tuple(row[c] for c in columns): [row[c] for c in sums]
            for row in MonthlyRollup.objects.values(*columns, *sums)
            if row["count"] != 0
        }
    assert stored == dict(expected)
