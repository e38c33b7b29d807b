"""Monthly rollups maintained in the same database transaction as each transaction write.

Every service that creates, changes or deletes transactions calls
:func:`rollups_apply` with the rows removed and the rows added. Deltas are
summed in Python per key and applied with one upsert that adds to the stored
sums, so concurrent writers on PostgreSQL never lose an update.

Two tables are kept: ``MonthlyRollup`` (per account, category, month and
transfer flag) and the dashboard's ``PayeeMonthlyRollup`` (per month, currency,
payee and category, non-transfer spending only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from findash.dashboard.models import PayeeMonthlyRollup
from findash.ledger.models import MonthlyRollup, Transaction
from findash.tenancy.versioning import tenant_data_changed

ZERO = Decimal("0")

RollupKey = tuple[int, int, int, date, bool]  # tenant, account, category_key, month, transfer
PayeeKey = tuple[int, date, str, str, int]  # tenant, month, currency, payee, category_key


@dataclass
class RollupDelta:
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


@dataclass
class PayeeDelta:
    total_cents: int = 0
    count: int = 0

    def add(self, amount: Decimal, sign: int) -> None:
        self.total_cents += sign * int(amount.scaleb(2))
        self.count += sign


def month_start(day: date) -> date:
    return day.replace(day=1)


def rollup_key(txn: Transaction) -> RollupKey:
    return (
        txn.tenant_id,
        txn.account_id,
        txn.category_id or 0,
        month_start(txn.date),
        txn.transfer_id is not None,
    )


def payee_key(txn: Transaction) -> PayeeKey | None:
    """The payee rollup row a transaction counts in, or None when it is never spending."""
    if txn.transfer_id is not None or not txn.payee:
        return None
    if txn.category_id is None and txn.amount > 0:
        return None
    return (txn.tenant_id, month_start(txn.date), txn.currency, txn.payee, txn.category_id or 0)


def _deltas(
    removed: Iterable[Transaction], added: Iterable[Transaction]
) -> tuple[dict[RollupKey, RollupDelta], dict[PayeeKey, PayeeDelta]]:
    deltas: dict[RollupKey, RollupDelta] = defaultdict(RollupDelta)
    payees: dict[PayeeKey, PayeeDelta] = defaultdict(PayeeDelta)
    for sign, rows in ((-1, removed), (+1, added)):
        for txn in rows:
            deltas[rollup_key(txn)].add(txn.amount, sign)
            key = payee_key(txn)
            if key is not None:
                payees[key].add(txn.amount, sign)
    return (
        {key: delta for key, delta in deltas.items() if not delta.is_zero},
        {key: delta for key, delta in payees.items() if delta.total_cents or delta.count},
    )


_UPSERT = """
INSERT INTO {table} ({columns})
VALUES {values}
ON CONFLICT ({key}) DO UPDATE SET {updates}
"""

_BATCH = 500


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


def rollups_apply(
    *, removed: Iterable[Transaction] = (), added: Iterable[Transaction] = ()
) -> None:
    """Apply the effect of removing and adding these transactions.

    Call it inside the write's atomic block.
    """
    deltas, payees = _deltas(removed, added)
    if deltas:
        # Sorted: one lock order for every writer, so no deadlocks.
        _upsert(
            MonthlyRollup._meta.db_table,
            ("tenant_id", "month", "account_id", "category_key", "is_transfer"),
            ("total", "inflow", "outflow", "count", "inflow_count"),
            [
                (tenant, month, account, category, transfer, *_sums(delta))
                for (tenant, account, category, month, transfer), delta in sorted(deltas.items())
            ],
        )
    if payees:
        _upsert(
            PayeeMonthlyRollup._meta.db_table,
            ("tenant_id", "month", "currency", "payee", "category_key"),
            ("total_cents", "count"),
            [(*key, delta.total_cents, delta.count) for key, delta in sorted(payees.items())],
        )
    for tenant_id in {key[0] for key in deltas} | {key[0] for key in payees}:
        tenant_data_changed(tenant_id)


def _sums(delta: RollupDelta) -> tuple[Decimal, Decimal, Decimal, int, int]:
    return delta.total, delta.inflow, delta.outflow, delta.count, delta.inflow_count
