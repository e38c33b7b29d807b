"""Bulk transaction writes: the one fast path for many rows (bulk API, imports, restores).

Callers validate their rows (account of the tenant, currency, amount places)
and hand them over as :class:`NewTransaction`; this module inserts them and
keeps the rollups and the tenant's data version in step and sends
``ledger_written`` (budget alerts, webhooks), inside the caller's transaction,
exactly as single writes do.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.utils import timezone

from findash.ledger.models import Transaction
from findash.ledger.rollups import rollups_apply
from findash.ledger.signals import ledger_written_send
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import scope_require

BULK_BATCH_SIZE = 1000


@dataclass(slots=True)
class NewTransaction:
    """A validated row for the bulk insert: only the columns, none of a model's cost.

    ``rollups_apply`` reads just these attributes, so it takes these rows as they are.
    """

    tenant_id: int
    account_id: int
    date: date
    amount: Decimal
    currency: str
    category_id: int | None
    description: str
    payee: str
    transfer_id: uuid.UUID | None = None
    bank_id: str = ""


_INSERT_COLUMNS = (
    "tenant_id",
    "account_id",
    "date",
    "amount",
    "currency",
    "category_id",
    "description",
    "payee",
    "transfer_id",
    "bank_id",
    "created_at",
    "month",
)


def transaction_bulk_insert(*, tenant: Tenant, rows: Sequence[NewTransaction]) -> int:
    """Insert validated rows of ``tenant`` with their rollups; all or nothing."""
    if any(row.tenant_id != tenant.pk for row in rows):
        raise ValueError("every row must belong to the acting tenant")
    scope_require(tenant)
    with transaction.atomic():
        _transactions_insert(rows)
        rollups_apply(added=cast("list[Transaction]", rows))
        if rows:
            ledger_written_send(tenant=tenant, action="bulk_created", transactions=rows)
    return len(rows)


def transactions_reclassify(
    *, tenant: Tenant, changes: Mapping[int, tuple[int | None, str]]
) -> int:
    """Set ``(category_id, payee)`` on many transactions of ``tenant``, rollups included.

    Transfer legs are left alone: a transfer is never income or expense.
    """
    scope_require(tenant)
    with transaction.atomic():
        changed = 0
        ids = sorted(changes)
        for start in range(0, len(ids), BULK_BATCH_SIZE):
            chunk = ids[start : start + BULK_BATCH_SIZE]
            old_rows = list(
                Transaction.objects.select_for_update().filter(
                    pk__in=chunk, transfer_id__isnull=True
                )
            )
            new_rows = []
            for old in old_rows:
                category_id, payee = changes[old.pk]
                if (old.category_id, old.payee) == (category_id, payee):
                    continue
                new = Transaction(
                    **{
                        f.attname: getattr(old, f.attname)
                        for f in Transaction._meta.concrete_fields
                    }
                )
                new.category_id, new.payee = category_id, payee
                new_rows.append((old, new))
            Transaction.objects.bulk_update([new for _, new in new_rows], ["category", "payee"])
            previous, current = [old for old, _ in new_rows], [new for _, new in new_rows]
            rollups_apply(removed=previous, added=current)
            if current:
                ledger_written_send(
                    tenant=tenant, action="updated", transactions=current, previous=previous
                )
            changed += len(new_rows)
    return changed


def _transactions_insert(rows: Sequence[NewTransaction]) -> None:
    """Insert many validated new transactions fast.

    ``bulk_create`` spends most of its time compiling values field by field (and
    SQLite takes only ~100 rows a statement). PostgreSQL gets one ``COPY``,
    several times faster than any INSERT; other databases multi-row INSERTs of
    ``BULK_BATCH_SIZE`` rows with values adapted once per column type.
    """
    if not rows:
        return
    now = timezone.now()
    table = connection.ops.quote_name(Transaction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _INSERT_COLUMNS)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for txn in rows:
                copy.write_row(
                    (
                        txn.tenant_id,
                        txn.account_id,
                        txn.date,
                        txn.amount,
                        txn.currency,
                        txn.category_id,
                        txn.description,
                        txn.payee,
                        txn.transfer_id,
                        txn.bank_id,
                        now,
                        txn.date.replace(day=1),
                    )
                )
        return
    ops = connection.ops
    amount_field = Transaction._meta.get_field("amount")
    transfer_field = Transaction._meta.get_field("transfer_id")
    created_at = ops.adapt_datetimefield_value(now)
    row_sql = "(" + ", ".join(["%s"] * len(_INSERT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK_BATCH_SIZE):
            chunk = rows[start : start + BULK_BATCH_SIZE]
            params: list[Any] = []
            for txn in chunk:
                params += [
                    txn.tenant_id,
                    txn.account_id,
                    ops.adapt_datefield_value(txn.date),
                    ops.adapt_decimalfield_value(
                        txn.amount, amount_field.max_digits, amount_field.decimal_places
                    ),
                    txn.currency,
                    txn.category_id,
                    txn.description,
                    txn.payee,
                    None
                    if txn.transfer_id is None
                    else transfer_field.get_db_prep_value(txn.transfer_id, connection),
                    txn.bank_id,
                    created_at,
                    ops.adapt_datefield_value(txn.date.replace(day=1)),
                ]
            values = ", ".join([row_sql] * len(chunk))
            # Table and columns come from the model; every value is a bound parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608  # nosec B608
            cursor.execute(sql, params)
