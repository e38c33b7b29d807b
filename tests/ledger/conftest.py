"""Ledger fixtures: an org with two accounts and a category; clients for every role."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from findash.ledger.models import (
    Account,
    Category,
    DailyRollup,
    MonthlyRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
    Transaction,
)
from findash.ledger.payee_packed import ALL_TIME_MONTHS, ALL_TIME_START, packed_stored
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
    """Assert every stored rollup (flows per month and day, payee spending per month, day,
    span of months and all time) equals a naive recomputation from the transactions."""
    flows: dict[type, dict[tuple[object, ...], list[Decimal | int]]] = {
        MonthlyRollup: defaultdict(lambda: [Decimal("0"), Decimal("0"), Decimal("0"), 0]),
        DailyRollup: defaultdict(lambda: [Decimal("0"), Decimal("0"), Decimal("0"), 0]),
    }
    payees: dict[type, dict[tuple[object, ...], list[int]]] = {
        PayeeMonthlyRollup: defaultdict(lambda: [0, 0]),
        PayeeDailyRollup: defaultdict(lambda: [0, 0]),
    }
    spans: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
    totals_all: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0])
    with tenant_scope(tenant):
        kinds = dict(Category.objects.values_list("id", "kind"))
        for txn in Transaction.objects.all():
            for model, period in (
                (MonthlyRollup, txn.date.replace(day=1)),
                (DailyRollup, txn.date),
            ):
                key = (txn.account_id, txn.category_id or 0, period, txn.transfer_id is not None)
                totals = flows[model][key]
                totals[0] += txn.amount
                totals[1] += txn.amount if txn.amount > 0 else Decimal("0")
                totals[2] += -txn.amount if txn.amount < 0 else Decimal("0")
                totals[3] += 1
            spending = (
                txn.transfer_id is None
                and txn.payee
                and (
                    kinds.get(txn.category_id) == "expense" if txn.category_id else txn.amount <= 0
                )
            )
            if spending:
                for model, period in (
                    (PayeeMonthlyRollup, txn.date.replace(day=1)),
                    (PayeeDailyRollup, txn.date),
                ):
                    row = payees[model][(period, txn.currency, txn.payee)]
                    row[0] += int(txn.amount * 100)
                    row[1] += 1
                totals_all[(txn.currency, txn.payee)][0] += int(txn.amount * 100)
                totals_all[(txn.currency, txn.payee)][1] += 1
                # Every aligned span of 2, 4, 8 or 12 months inside the year holding the day.
                for months in (2, 4, 8, 12):
                    first = (txn.date.month - 1) // months * months + 1
                    if first + months - 1 <= 12:
                        key = (months, date(txn.date.year, first, 1), txn.currency, txn.payee)
                        spans[key][0] += int(txn.amount * 100)
                        spans[key][1] += 1
        sums = ("total", "inflow", "outflow", "count")
        for model, field in ((MonthlyRollup, "month"), (DailyRollup, "day")):
            columns = ("account_id", "category_key", field, "is_transfer")
            stored = {
                tuple(row[c] for c in columns): [row[c] for c in sums]
                for row in model.objects.values(*columns, *sums)
                if row["count"] != 0
            }
            assert stored == dict(flows[model]), model.__name__
        for payee_model, field in ((PayeeMonthlyRollup, "month"), (PayeeDailyRollup, "day")):
            stored_payees = {
                (row[field], row["currency"], row["payee"]): [row["total_cents"], row["count"]]
                for row in payee_model.objects.values(
                    field, "currency", "payee", "total_cents", "count"
                )
                if row["count"] != 0 or row["total_cents"] != 0
            }
            assert stored_payees == dict(payees[payee_model]), payee_model.__name__
        span_columns = ("months", "start", "currency", "payee")
        stored_spans = {
            tuple(row[c] for c in span_columns): [row["total_cents"], row["count"]]
            for row in PayeeSpanRollup.objects.values(*span_columns, "total_cents", "count")
            if row["count"] != 0 or row["total_cents"] != 0
        }
        assert stored_spans == dict(spans), "PayeeSpanRollup"
        stored_totals = {
            (row["currency"], row["payee"]): [row["total_cents"], row["count"]]
            for row in PayeeTotalRollup.objects.values("currency", "payee", "total_cents", "count")
            if row["count"] != 0 or row["total_cents"] != 0
        }
        assert stored_totals == dict(totals_all), "PayeeTotalRollup"
    # The packed blocks hold the same sums: days (0), months (1), spans and all time.
    naive_packed = {
        (currency, months, start, payee): tuple(sums)
        for months, model in ((0, PayeeDailyRollup), (1, PayeeMonthlyRollup))
        for (start, currency, payee), sums in payees[model].items()
        if sums != [0, 0]
    }
    naive_packed |= {
        (currency, months, start, payee): tuple(sums)
        for (months, start, currency, payee), sums in spans.items()
        if sums != [0, 0]
    }
    naive_packed |= {
        (currency, ALL_TIME_MONTHS, ALL_TIME_START, payee): tuple(sums)
        for (currency, payee), sums in totals_all.items()
        if sums != [0, 0]
    }
    assert packed_stored(tenant.pk) == naive_packed, "PayeePackedRollup"
