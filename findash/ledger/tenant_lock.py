"""One lock per tenant for the derived tables a write reads back and rewrites.

The converted rollups and the packed payee blocks are recomputed or rewritten from what
the write's transaction reads, so two writers of one tenant must not interleave. On
PostgreSQL a transaction-scoped advisory lock per tenant orders them; it is taken again
at no cost by the same transaction, so one key for every derived table means no lock
order to get wrong (a rate write followed by transactions in one transaction cannot
deadlock with a writer doing the reverse). SQLite has one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

_LOCK_CLASS = 0x4644  # "FD": the advisory lock's first key; the tenant id is the second


def tenant_write_lock(tenant_id: int) -> None:
    """Hold the tenant's derived-tables lock until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, tenant_id])


@contextmanager
def tenant_write(tenant_id: int) -> Iterator[None]:
    """A write of the tenant's ledger: one database transaction that takes the tenant's
    write lock before any row lock, so a writer waiting for the lock holds nothing another
    writer needs (a rate edit and a transaction write in opposite orders deadlocked)."""
    with transaction.atomic():
        tenant_write_lock(tenant_id)
        yield
