"""Build a benchmark tenant fast: set up its shape through the ORM, bulk-load its
transactions (COPY on PostgreSQL, ``executemany`` on SQLite), then rebuild every
derived table once with ``rollups_rebuild``.

A tenant is named after its shape and size and reused while its transaction
count matches, unless ``rebuild`` is asked for.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bench.shapes import SHAPES, Row, Span, years_before

BATCH = 20_000
PROGRESS_EVERY = 100_000

# ledger_transaction's columns, in one place: the fields every Row carries, then
# the columns filled in from them. A derived column is written only when the table
# has it, so the loader works before and after a migration adds it.
ROW_COLUMNS = Row._fields
DERIVED_COLUMNS: dict[str, Callable[[Row], Any]] = {
    "month": lambda row: row.date.replace(day=1),
}


@dataclass
class Built:
    tenant: Any
    reused: bool
    insert_seconds: float = 0.0
    rollup_seconds: float = 0.0


def _table_columns(cursor: Any, table: str) -> set[str]:
    from django.db import connection

    return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _tenant_delete(tenant: Any) -> None:
    """Delete a tenant and every row pointing at it in SQL (the ORM's cascade would
    load a million rows). Foreign keys are deferred to the commit, so order is free."""
    from django.apps import apps
    from django.db import connection

    from findash.tenancy.models import Tenant

    with connection.cursor() as cursor:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is Tenant:
                    table, column = model._meta.db_table, field.column
                    cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [tenant.pk])
    Tenant.objects.filter(pk=tenant.pk).delete()


def _progress(rows: Iterable[Row], label: str, size: int) -> Iterator[Row]:
    started = time.perf_counter()
    for made, row in enumerate(rows, 1):
        if made % PROGRESS_EVERY == 0:
            print(
                f"  {label}: {made:,}/{size:,} rows ({time.perf_counter() - started:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
        yield row


def transactions_load(*, tenant_id: int, rows: Iterable[Row]) -> int:
    """Append rows to ledger_transaction in bulk, without touching the rollups."""
    from django.db import connection

    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
    with connection.cursor() as cursor:
        present = _table_columns(cursor, "ledger_transaction")
        derived = {name: make for name, make in DERIVED_COLUMNS.items() if name in present}
        columns = ["tenant_id", *ROW_COLUMNS, *derived, "created_at"]

        def values(row: Row) -> tuple[Any, ...]:
            return (tenant_id, *row, *(make(row) for make in derived.values()), now)

        count = 0
        if connection.vendor == "postgresql":
            sql = f"COPY ledger_transaction ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO ledger_transaction ({', '.join(columns)}) VALUES ({marks})"
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(values(row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return count + len(batch)


def tenant_build(
    *, shape: str, size: int, span: Span, rebuild: bool = False, name: str | None = None
) -> Built:
    """The tenant holding ``size`` transactions of ``shape`` over ``span``; built if needed."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from findash.ledger.models import Transaction
    from findash.ledger.rollup_rebuild import rollups_rebuild
    from findash.tenancy.models import Membership, Role, Tenant
    from findash.tenancy.scoping import tenant_scope

    name = name or f"bench-matrix-{shape}-{size}"
    existing = Tenant.objects.filter(name=name).first()
    if existing is not None and not rebuild:
        with tenant_scope(existing):
            if Transaction.objects.count() == size:
                return Built(existing, reused=True)
    with transaction.atomic():
        if existing is not None:
            _tenant_delete(existing)
        user, _ = User.objects.get_or_create(username=name)
        tenant = Tenant.objects.create(tenant_type=Tenant.Type.USER, name=name, base_currency="USD")
        Membership.objects.get_or_create(tenant=tenant, user=user, defaults={"role": Role.OWNER})
        started = time.perf_counter()
        with tenant_scope(tenant):
            rows = SHAPES[shape](tenant, size, span, random.Random(f"{shape}-{size}"))
            # A shape saves its accounts, categories and rates before its first row: take
            # that row now, as the ORM cannot use the connection once COPY has begun.
            rows = itertools.chain([next(rows)], rows)
            transactions_load(tenant_id=tenant.pk, rows=_progress(rows, f"{shape} {size:,}", size))
        inserted = time.perf_counter()
        rollups_rebuild(tenant=tenant)
        rebuilt = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load (this machine's server runs with it off):
        # statistics, and on PostgreSQL the visibility map, without which every
        # "index-only" scan of the covering indexes still visits a heap page per row.
        # (VACUUM cannot run inside a transaction, as in the test suite's.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    return Built(tenant, False, inserted - started, rebuilt - inserted)


def default_span(last: date, years: int = 3) -> Span:
    """``years`` years of days ending on ``last``."""
    return Span(years_before(last, years), last)
