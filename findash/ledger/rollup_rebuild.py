"""Rebuild the rollups of a tenant from its transactions, or prove they match them.

Both work in the tenant's scope and group the transactions in SQL with exact
integer-cent sums (see ``findash.ledger.aggregates``), so they stay fast at
millions of rows. Every derived table is covered: flows per month and per day,
payee spending per month, per day, per span of months, over all time and packed
(``findash.ledger.payee_packed``), and the converted rollups
(``findash.ledger.converted``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from findash.ledger.aggregates import (
    category_key,
    cents,
    count_where,
    grouped,
    is_transfer,
    sum_cents,
)
from findash.ledger.converted import converted_build
from findash.ledger.converted_check import CONVERTED, ConvertedDerived
from findash.ledger.models import (
    Category,
    DailyRollup,
    MonthlyRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeePackedRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
    Transaction,
)
from findash.ledger.payee_packed import (
    ALL_TIME_MONTHS,
    ALL_TIME_START,
    packed_build,
    packed_stored,
)
from findash.ledger.payee_spans import spans_containing
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import current_tenant, tenant_scope
from findash.tenancy.versioning import tenant_data_changed

Sums = dict[tuple[Any, ...], tuple[int, ...]]

_POSITIVE = Q(amount__gt=0)
_FLOW_SUMS = {
    "total": sum_cents("amount"),
    "inflow": sum_cents("amount", _POSITIVE),
    "outflow": sum_cents("amount", Q(amount__lt=0)),
    "count": Count("id"),
    "inflow_count": count_where(_POSITIVE),
}
_BATCH = 2000


def _money(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


@dataclass(frozen=True)
class Derived:
    """One derived table: how to recompute it, read it back, and write it."""

    name: str
    model: type[models.Model]
    period: str  # "month" or "day"
    period_expr: Callable[[], Any]
    is_payee: bool

    def recomputed(self) -> Sums:
        if self.is_payee:
            return _payee_sums(self.period_expr())
        return _flow_sums(self.period_expr())

    def stored(self) -> Sums:
        if self.is_payee:
            rows = self.model._default_manager.values_list(
                self.period, "currency", "payee", "total_cents", "count"
            )
            return {(p, cur, payee): (t, n) for p, cur, payee, t, n in rows if (t, n) != (0, 0)}
        rows = self.model._default_manager.values_list(
            self.period,
            "account_id",
            "category_key",
            "is_transfer",
            cents("total"),
            cents("outflow"),
            "count",
            "inflow_count",
            cents("inflow"),
        )
        found: Sums = {}
        for period, account, key, transfer, total, outflow, count, inflow_count, inflow in rows:
            sums = (total, inflow, outflow, count, inflow_count)
            if sums != (0, 0, 0, 0, 0):
                found[(period, account, key, transfer)] = sums
        return found

    def instances(self, tenant: Tenant, sums: Sums) -> list[models.Model]:
        if self.is_payee:
            return [
                self.model(
                    tenant=tenant,
                    **{self.period: period},
                    currency=currency,
                    payee=payee,
                    total_cents=total,
                    count=count,
                )
                for (period, currency, payee), (total, count) in sums.items()
            ]
        return [
            self.model(
                tenant=tenant,
                **{self.period: period},
                account_id=account,
                category_key=key,
                is_transfer=transfer,
                total=_money(total),
                inflow=_money(inflow),
                outflow=_money(outflow),
                count=count,
                inflow_count=inflow_count,
            )
            for (period, account, key, transfer), (
                total,
                inflow,
                outflow,
                count,
                inflow_count,
            ) in sums.items()
        ]


def _flow_sums(period: Any) -> Sums:
    rows = grouped(
        Transaction.objects.all(),
        {"period": period, "account_id": "account_id", "key": category_key(), "t": is_transfer()},
        _FLOW_SUMS,
    )
    return {
        (p, account, key, bool(transfer)): (total, inflow, -outflow, count, inflow_count)
        for p, account, key, transfer, total, inflow, outflow, count, inflow_count in rows
    }


def spending() -> QuerySet[Transaction]:
    """The transactions counted as a payee's spending (see ``rollups.is_spending``)."""
    return (
        Transaction.objects.filter(transfer_id__isnull=True)
        .exclude(payee="")
        .filter(
            Q(category__kind=Category.Kind.EXPENSE) | Q(category_id__isnull=True, amount__lte=0)
        )
    )


def _payee_sums(period: Any) -> Sums:
    rows = grouped(
        spending(),
        {"period": period, "currency": "currency", "payee": "payee"},
        {"total": sum_cents("amount"), "count": Count("id")},
    )
    return {(p, cur, payee): (total, count) for p, cur, payee, total, count in rows}


def _total_sums() -> Sums:
    rows = grouped(
        spending(),
        {"currency": "currency", "payee": "payee"},
        {"total": sum_cents("amount"), "count": Count("id")},
    )
    return {(currency, payee): (total, count) for currency, payee, total, count in rows}


class TotalDerived(Derived):
    """Payee spending over all time."""

    def recomputed(self) -> Sums:
        return _total_sums()

    def stored(self) -> Sums:
        rows = self.model._default_manager.values_list("currency", "payee", "total_cents", "count")
        return {(c, p): (t, n) for c, p, t, n in rows if (t, n) != (0, 0)}

    def instances(self, tenant: Tenant, sums: Sums) -> list[models.Model]:
        return [
            self.model(tenant=tenant, currency=currency, payee=payee, total_cents=t, count=n)
            for (currency, payee), (t, n) in sums.items()
        ]


def _span_sums() -> Sums:
    found: dict[tuple[Any, ...], list[int]] = {}
    for (month, currency, payee), (total, count) in _payee_sums(TruncMonth("date")).items():
        for start, months in spans_containing(month):
            sums = found.setdefault((months, start, currency, payee), [0, 0])
            sums[0] += total
            sums[1] += count
    return {key: (total, count) for key, (total, count) in found.items()}


class SpanDerived(Derived):
    """Payee spending per aligned span of months: the monthly sums, added up per span."""

    def recomputed(self) -> Sums:
        return _span_sums()

    def stored(self) -> Sums:
        rows = self.model._default_manager.values_list(
            "months", "start", "currency", "payee", "total_cents", "count"
        )
        return {(m, s, c, p): (t, n) for m, s, c, p, t, n in rows if (t, n) != (0, 0)}

    def instances(self, tenant: Tenant, sums: Sums) -> list[models.Model]:
        return [
            self.model(
                tenant=tenant,
                months=months,
                start=start,
                currency=currency,
                payee=payee,
                total_cents=total,
                count=count,
            )
            for (months, start, currency, payee), (total, count) in sums.items()
        ]


class PackedDerived(Derived):
    """Payee spending per block, packed (``findash.ledger.payee_packed``): rebuilt from the
    payee rollups just rebuilt, compared with a recomputation from transactions."""

    def recomputed(self) -> Sums:
        found: Sums = {}
        for months, period in ((0, F("date")), (1, TruncMonth("date"))):
            for (start, currency, payee), sums in _payee_sums(period).items():
                found[(currency, months, start, payee)] = sums
        for (months, start, currency, payee), sums in _span_sums().items():
            found[(currency, months, start, payee)] = sums
        for (currency, payee), sums in _total_sums().items():
            found[(currency, ALL_TIME_MONTHS, ALL_TIME_START, payee)] = sums
        return found

    def stored(self) -> Sums:
        return dict(packed_stored(current_tenant().pk))


DERIVED: tuple[Derived | ConvertedDerived, ...] = (
    Derived("monthly", MonthlyRollup, "month", lambda: TruncMonth("date"), is_payee=False),
    Derived("daily", DailyRollup, "day", lambda: F("date"), is_payee=False),
    Derived("payee monthly", PayeeMonthlyRollup, "month", lambda: TruncMonth("date"), True),
    Derived("payee daily", PayeeDailyRollup, "day", lambda: F("date"), is_payee=True),
    TotalDerived("payee totals", PayeeTotalRollup, "", lambda: None, is_payee=True),
    SpanDerived("payee spans", PayeeSpanRollup, "start", lambda: None, is_payee=True),
    PackedDerived("payee packed", PayeePackedRollup, "", lambda: None, is_payee=True),
    *CONVERTED,  # last: recomputed from the daily rollups and the rates
)
# A category changing kind changes payee spending, converted payee spending included.
PAYEE_TABLES = tuple(d for d in DERIVED if d.is_payee or isinstance(d, ConvertedDerived))


def _rebuild(tenant: Tenant, tables: tuple[Derived | ConvertedDerived, ...]) -> int:
    written = 0
    for table in tables:
        if isinstance(table, ConvertedDerived | PackedDerived):
            continue
        table.model._default_manager.all().delete()
        rows = table.instances(tenant, table.recomputed())
        table.model._default_manager.bulk_create(rows, batch_size=_BATCH)
        written += len(rows)
    if any(isinstance(table, PackedDerived) for table in tables):
        written += packed_build(tenant.pk)  # from the payee rollups rebuilt above
    if any(isinstance(table, ConvertedDerived) for table in tables):
        # Last: from the daily rollups rebuilt above (migration 0003 passes only the
        # tables that exist at that point, which excludes these).
        written += converted_build()
    tenant_data_changed(tenant.pk)
    return written


def rollups_rebuild(*, tenant: Tenant) -> int:
    """Replace every derived table of the tenant with a recomputation; returns the row count."""
    with tenant_scope(tenant), transaction.atomic():
        return _rebuild(tenant, DERIVED)


def payee_rollups_rebuild(*, tenant: Tenant) -> int:
    """Recompute payee spending only: after a category changes kind, its flows count
    (or stop counting) as spending."""
    with tenant_scope(tenant), transaction.atomic():
        return _rebuild(tenant, PAYEE_TABLES)  # the converted payee rows too


def _differences(name: str, stored: Sums, expected: Sums) -> list[str]:
    found = []
    for key in sorted(set(stored) | set(expected), key=repr):
        if stored.get(key) != expected.get(key):
            found.append(
                f"{name} {key}: stored {stored.get(key)} != recomputed {expected.get(key)}"
            )
    return found


def rollups_verify(*, tenant: Tenant) -> list[str]:
    """Every difference between the tenant's derived tables and a recomputation (empty: they
    match). Sums are compared in integer hundredths."""
    outermost = not connection.in_atomic_block
    with tenant_scope(tenant), transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every query: concurrent writers must not commit between
            # reading a table and recomputing it.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return [
            line
            for table in DERIVED
            for line in _differences(table.name, table.stored(), table.recomputed())
        ]
