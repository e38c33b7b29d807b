"""Rollups maintained in the same database transaction as each transaction write.

Every service that creates, changes or deletes transactions calls
:func:`rollups_apply` with the rows removed and the rows added. Deltas are
summed in Python per key and applied with one upsert per table that adds to
the stored sums, so concurrent writers on PostgreSQL never lose an update.
Keys are applied sorted: one lock order for every writer, so no deadlocks.

Six tables, in ``findash.ledger.rollup_models``: a payee's spending over all time, and
five more: flows per account, category,
transfer flag and month or day; spending per payee and currency, per month,
day or aligned span of months (``findash.ledger.payee_spans``). The payee deltas are
then added to the packed blocks (``findash.ledger.payee_packed``) and the written
months' converted rows are recomputed (``findash.ledger.converted``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection

from findash.common.months import month_start
from findash.ledger.converted import converted_refresh
from findash.ledger.models import (
    Category,
    DailyRollup,
    MonthlyRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
)
from findash.ledger.payee_packed import (
    ALL_TIME_MONTHS,
    ALL_TIME_START,
    packed_apply,
)
from findash.ledger.payee_spans import spans_containing
from findash.ledger.tenant_lock import tenant_write_lock
from findash.tenancy.versioning import tenant_data_changed

ZERO = Decimal("0")


class TransactionRow(Protocol):
    """What a rollup needs of a transaction (a model instance or a row about to be inserted)."""

    tenant_id: int
    account_id: int
    date: date
    amount: Decimal
    currency: str
    category_id: int | None
    payee: str
    transfer_id: Any


FlowKey = tuple[int, date, int, int, bool]  # tenant, month or day, account, category_key, transfer
PayeeKey = tuple[int, date, str, str]  # tenant, month or day, currency, payee
SpanKey = tuple[int, int, date, str, str]  # tenant, months, start, currency, payee
TotalKey = tuple[int, str, str]  # tenant, currency, payee


@dataclass
class FlowDelta:
    total: Decimal = ZERO
    inflow: Decimal = ZERO
    outflow: Decimal = ZERO
    count: int = 0
    inflow_count: int = 0

    def add(self, amount: Decimal, sign: int) -> None:
        self.total += sign * amount
        if amount > 0:
            self.inflow += sign * amount
            self.inflow_count += sign
        else:
            self.outflow -= sign * amount
        self.count += sign

    @property
    def is_zero(self) -> bool:
        return (
            self.count == self.inflow_count == 0
            and self.total == self.inflow == self.outflow == ZERO
        )

    def sums(self) -> tuple[Decimal, Decimal, Decimal, int, int]:
        return self.total, self.inflow, self.outflow, self.count, self.inflow_count


@dataclass
class PayeeDelta:
    total_cents: int = 0
    count: int = 0

    def add(self, amount: Decimal, sign: int) -> None:
        self.total_cents += sign * int(amount.scaleb(2))
        self.count += sign


def is_spending(txn: TransactionRow, expense_ids: set[int]) -> bool:
    """Whether a transaction counts towards its payee's spending."""
    if txn.transfer_id is not None or not txn.payee:
        return False
    if txn.category_id is None:
        return txn.amount <= 0
    return txn.category_id in expense_ids


def _expense_ids(rows: Iterable[TransactionRow]) -> set[int]:
    ids = {txn.category_id for txn in rows if txn.category_id is not None and txn.payee}
    if not ids:
        return set()
    return set(
        Category.objects.filter(pk__in=ids, kind=Category.Kind.EXPENSE).values_list("pk", flat=True)
    )


class _Deltas:
    def __init__(self) -> None:
        self.months: dict[FlowKey, FlowDelta] = defaultdict(FlowDelta)
        self.days: dict[FlowKey, FlowDelta] = defaultdict(FlowDelta)
        self.payee_months: dict[PayeeKey, PayeeDelta] = defaultdict(PayeeDelta)
        self.payee_days: dict[PayeeKey, PayeeDelta] = defaultdict(PayeeDelta)
        self.payee_spans: dict[SpanKey, PayeeDelta] = defaultdict(PayeeDelta)
        self.payee_totals: dict[TotalKey, PayeeDelta] = defaultdict(PayeeDelta)

    def add(self, txn: TransactionRow, sign: int, expense_ids: set[int]) -> None:
        month = month_start(txn.date)
        flow = (txn.account_id, txn.category_id or 0, txn.transfer_id is not None)
        self.months[(txn.tenant_id, month, *flow)].add(txn.amount, sign)
        self.days[(txn.tenant_id, txn.date, *flow)].add(txn.amount, sign)
        if is_spending(txn, expense_ids):
            self.payee_months[(txn.tenant_id, month, txn.currency, txn.payee)].add(txn.amount, sign)
            self.payee_days[(txn.tenant_id, txn.date, txn.currency, txn.payee)].add(
                txn.amount, sign
            )
            for start, months in spans_containing(month):
                key = (txn.tenant_id, months, start, txn.currency, txn.payee)
                self.payee_spans[key].add(txn.amount, sign)
            self.payee_totals[(txn.tenant_id, txn.currency, txn.payee)].add(txn.amount, sign)


_UPSERT = """
INSERT INTO {table} ({columns})
VALUES {values}
ON CONFLICT ({key}) DO UPDATE SET {updates}
"""

_BATCH = 500
_FLOW_SUMS = ("total", "inflow", "outflow", "count", "inflow_count")
_PAYEE_SUMS = ("total_cents", "count")


def _upsert(
    table: str, key: Sequence[str], sums: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    columns = [*key, *sums]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{col} = {table}.{col} + excluded.{col}" for col in sums)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            chunk = rows[start : start + _BATCH]
            sql = _UPSERT.format(
                table=table,
                columns=", ".join(columns),
                values=", ".join([placeholders] * len(chunk)),
                key=", ".join(key),
                updates=updates,
            )
            cursor.execute(sql, [value for row in chunk for value in row])


def _flow_rows(deltas: dict[FlowKey, FlowDelta]) -> list[tuple[Any, ...]]:
    return [(*key, *delta.sums()) for key, delta in sorted(deltas.items()) if not delta.is_zero]


def _payee_rows(deltas: dict[Any, PayeeDelta]) -> list[tuple[Any, ...]]:
    return [
        (*key, delta.total_cents, delta.count)
        for key, delta in sorted(deltas.items())
        if delta.total_cents or delta.count
    ]


def _packed_deltas(deltas: _Deltas) -> dict[tuple[int, str, int, date, str], tuple[int, int]]:
    """The payee deltas keyed as ``payee_packed`` blocks: (tenant, currency, months, start,
    payee)."""
    found = {}
    for months, payees in ((0, deltas.payee_days), (1, deltas.payee_months)):
        for (tenant_id, start, currency, payee), delta in payees.items():
            found[(tenant_id, currency, months, start, payee)] = (delta.total_cents, delta.count)
    for (tenant_id, months, start, currency, payee), delta in deltas.payee_spans.items():
        found[(tenant_id, currency, months, start, payee)] = (delta.total_cents, delta.count)
    for (tenant_id, currency, payee), delta in deltas.payee_totals.items():
        key = (tenant_id, currency, ALL_TIME_MONTHS, ALL_TIME_START, payee)
        found[key] = (delta.total_cents, delta.count)
    return found


def rollups_apply(
    *, removed: Iterable[TransactionRow] = (), added: Iterable[TransactionRow] = ()
) -> None:
    """Apply the effect of removing and adding these transactions. Call it inside the write's
    atomic block."""
    removed, added = list(removed), list(added)
    expense_ids = _expense_ids([*removed, *added])
    deltas = _Deltas()
    for sign, rows in ((-1, removed), (+1, added)):
        for txn in rows:
            deltas.add(txn, sign, expense_ids)
    for tenant_id in sorted({key[0] for key in deltas.months}):
        # Before any upsert: a writer holding row locks never waits for this lock.
        tenant_write_lock(tenant_id)
    flow_key = ("account_id", "category_key", "is_transfer")
    for model, period, found in (
        (MonthlyRollup, "month", deltas.months),
        (DailyRollup, "day", deltas.days),
    ):
        flow_rows = _flow_rows(found)
        if flow_rows:
            _upsert(model._meta.db_table, ("tenant_id", period, *flow_key), _FLOW_SUMS, flow_rows)
    for payee_model, period, payees in (
        (PayeeMonthlyRollup, "month", deltas.payee_months),
        (PayeeDailyRollup, "day", deltas.payee_days),
    ):
        payee_rows = _payee_rows(payees)
        if payee_rows:
            _upsert(
                payee_model._meta.db_table,
                ("tenant_id", period, "currency", "payee"),
                _PAYEE_SUMS,
                payee_rows,
            )
    total_rows = _payee_rows(deltas.payee_totals)
    if total_rows:
        _upsert(
            PayeeTotalRollup._meta.db_table,
            ("tenant_id", "currency", "payee"),
            _PAYEE_SUMS,
            total_rows,
        )
    span_rows = _payee_rows(deltas.payee_spans)
    if span_rows:
        _upsert(
            PayeeSpanRollup._meta.db_table,
            ("tenant_id", "months", "start", "currency", "payee"),
            _PAYEE_SUMS,
            span_rows,
        )
    packed_apply(_packed_deltas(deltas))  # before the converted rows: one lock order
    if deltas.months:
        converted_refresh(
            months={key[1] for key in deltas.months},
            payees={key[3] for key in deltas.payee_months},
            keys={key[3] for key in deltas.months},
        )
    for tenant_id in {key[0] for key in deltas.months}:
        tenant_data_changed(tenant_id)
