"""Rebuild the rollups of a tenant from its transactions, or prove they match them.

Both work in the tenant's scope and group the transactions in SQL with exact
integer-cent sums (see ``findash.ledger.aggregates``), so they stay fast at
millions of rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from findash.dashboard.models import PayeeMonthlyRollup
from findash.ledger.aggregates import (
    category_key,
    cents,
    count_where,
    grouped,
    is_transfer,
    sum_cents,
)
from findash.ledger.models import MonthlyRollup, Transaction
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.versioning import tenant_data_changed

# (account, category_key, month, is_transfer) -> (total, inflow, outflow, count, inflow_count)
RollupSums = dict[tuple[Any, ...], tuple[int, int, int, int, int]]
# (month, currency, payee, category_key) -> (total, count)
PayeeSums = dict[tuple[Any, ...], tuple[int, int]]

_POSITIVE = Q(amount__gt=0)


def _rollups_recomputed() -> RollupSums:
    rows = grouped(
        Transaction.objects.all(),
        {
            "account_id": "account_id",
            "key": category_key(),
            "month": TruncMonth("date"),
            "transfer": is_transfer(),
        },
        {
            "total": sum_cents("amount"),
            "inflow": sum_cents("amount", _POSITIVE),
            "outflow": sum_cents("amount", Q(amount__lt=0)),
            "count": Count("id"),
            "inflow_count": count_where(_POSITIVE),
        },
    )
    return {
        (account, key, month, bool(transfer)): (total, inflow, -outflow, count, inflow_count)
        for account, key, month, transfer, total, inflow, outflow, count, inflow_count in rows
    }


def _payees_recomputed() -> PayeeSums:
    spending = (
        Transaction.objects.filter(transfer_id__isnull=True)
        .exclude(payee="")
        .exclude(category_id__isnull=True, amount__gt=0)
    )
    rows = grouped(
        spending,
        {
            "month": TruncMonth("date"),
            "currency": "currency",
            "payee": "payee",
            "key": category_key(),
        },
        {"total": sum_cents("amount"), "count": Count("id")},
    )
    return {(m, cur, payee, key): (total, count) for m, cur, payee, key, total, count in rows}


def _rollups_stored() -> RollupSums:
    rows = MonthlyRollup.objects.values_list(
        "account_id",
        "category_key",
        "month",
        "is_transfer",
        cents("total"),
        cents("inflow"),
        cents("outflow"),
        "count",
        "inflow_count",
    )
    return {
        (account, key, month, transfer): (total, inflow, outflow, count, inflow_count)
        for account, key, month, transfer, total, inflow, outflow, count, inflow_count in rows
        if (total, inflow, outflow, count, inflow_count) != (0, 0, 0, 0, 0)
    }


def _payees_stored() -> PayeeSums:
    rows = PayeeMonthlyRollup.objects.values_list(
        "month", "currency", "payee", "category_key", "total_cents", "count"
    )
    return {
        (m, cur, payee, key): (total, count)
        for m, cur, payee, key, total, count in rows
        if (total, count) != (0, 0)
    }


def _money(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def rollups_rebuild(*, tenant: Tenant) -> int:
    """Replace the tenant's rollups with a recomputation; returns the number of rows."""
    with tenant_scope(tenant), transaction.atomic():
        MonthlyRollup.objects.all().delete()
        PayeeMonthlyRollup.objects.all().delete()
        rollups = [
            MonthlyRollup(
                tenant=tenant,
                account_id=account,
                category_key=key,
                month=month,
                is_transfer=transfer,
                total=_money(total),
                inflow=_money(inflow),
                outflow=_money(outflow),
                count=count,
                inflow_count=inflow_count,
            )
            for (account, key, month, transfer), (
                total,
                inflow,
                outflow,
                count,
                inflow_count,
            ) in _rollups_recomputed().items()
        ]
        payees = [
            PayeeMonthlyRollup(
                tenant=tenant,
                month=month,
                currency=currency,
                payee=payee,
                category_key=key,
                total_cents=total,
                count=count,
            )
            for (month, currency, payee, key), (total, count) in _payees_recomputed().items()
        ]
        MonthlyRollup.objects.bulk_create(rollups, batch_size=1000)
        PayeeMonthlyRollup.objects.bulk_create(payees, batch_size=1000)
        tenant_data_changed(tenant.pk)
    return len(rollups) + len(payees)


def _differences(name: str, stored: dict[Any, Any], expected: dict[Any, Any]) -> list[str]:
    found = []
    for key in sorted(set(stored) | set(expected), key=repr):
        if stored.get(key) != expected.get(key):
            found.append(
                f"{name} {key}: stored {stored.get(key)} != recomputed {expected.get(key)}"
            )
    return found


def rollups_verify(*, tenant: Tenant) -> list[str]:
    """Every difference between the tenant's rollups and a recomputation (empty: they match).

    Sums are compared in integer hundredths.
    """
    with tenant_scope(tenant), transaction.atomic():
        return _differences("monthly", _rollups_stored(), _rollups_recomputed()) + _differences(
            "payee", _payees_stored(), _payees_recomputed()
        )
