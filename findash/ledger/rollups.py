"""Monthly rollups maintained in the same database transaction as each transaction write.

Every service that creates, changes or deletes transactions calls
:func:`rollups_apply` with the rows removed and the rows added. Deltas are
summed in Python per key and applied with one upsert that adds to the stored
sums, so concurrent writers on PostgreSQL never lose an update.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from findash.ledger.models import MonthlyRollup, Transaction
from findash.tenancy.versioning import tenant_data_changed

ZERO = Decimal("0")

RollupKey = tuple[int, int, int, date, bool]  # tenant, account, category_key, month, transfer


@dataclass
class RollupDelta:
    total: Decimal = ZERO
    inflow: Decimal = ZERO
    outflow: Decimal = ZERO
    count: int = 0

    def add(self, amount: Decimal, sign: int) -> None:
        self.total += sign * amount
        if amount > 0:
            self.inflow += sign * amount
        else:
            self.outflow -= sign * amount
        self.count += sign

    @property
    def is_zero(self) -> bool:
        return self.count == 0 and self.total == self.inflow == self.outflow == ZERO


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


def _deltas(
    removed: Iterable[Transaction], added: Iterable[Transaction]
) -> dict[RollupKey, RollupDelta]:
    deltas: dict[RollupKey, RollupDelta] = defaultdict(RollupDelta)
    for txn in removed:
        deltas[rollup_key(txn)].add(txn.amount, -1)
    for txn in added:
        deltas[rollup_key(txn)].add(txn.amount, +1)
    return {key: delta for key, delta in deltas.items() if not delta.is_zero}


_UPSERT = """
INSERT INTO {table} (tenant_id, account_id, category_key, month, is_transfer,
                     total, inflow, outflow, count)
VALUES {values}
ON CONFLICT (tenant_id, month, account_id, category_key, is_transfer) DO UPDATE SET
    total = {table}.total + excluded.total,
    inflow = {table}.inflow + excluded.inflow,
    outflow = {table}.outflow + excluded.outflow,
    count = {table}.count + excluded.count
"""

_BATCH = 500


def rollups_apply(
    *, removed: Iterable[Transaction] = (), added: Iterable[Transaction] = ()
) -> None:
    """Apply the effect of removing and adding these transactions.

    Call it inside the write's atomic block.
    """
    deltas = _deltas(removed, added)
    if not deltas:
        return
    table = MonthlyRollup._meta.db_table
    items = sorted(deltas.items())  # one lock order for every writer: no deadlocks
    with connection.cursor() as cursor:
        for start in range(0, len(items), _BATCH):
            chunk = items[start : start + _BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for (tenant_id, account_id, category_key, month, is_transfer), delta in chunk:
                params += [
                    tenant_id,
                    account_id,
                    category_key,
                    month,
                    is_transfer,
                    delta.total,
                    delta.inflow,
                    delta.outflow,
                    delta.count,
                ]
            cursor.execute(_UPSERT.format(table=table, values=values), params)
    for tenant_id in {key[0] for key in deltas}:
        tenant_data_changed(tenant_id)
