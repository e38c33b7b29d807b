"""Hooks other packages subscribe to; the ledger never imports its subscribers.

``ledger_written`` is sent inside the write's ``transaction.atomic`` block, after the
rows and their rollups are written, so a receiver's own rows commit or roll back
with the write. Arguments (all keyword):

- ``tenant``: the acting :class:`~findash.tenancy.models.Tenant`;
- ``action``: ``"created"``, ``"updated"``, ``"deleted"`` or ``"bulk_created"``;
- ``transactions``: the rows written (for ``updated``, the new state; for
  ``bulk_created``, unsaved rows without ids);
- ``previous``: for ``updated``, the rows' state before the write;
- ``category_ids`` and ``months``: every category (None for uncategorized) and
  first-of-month date whose totals the write changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.dispatch import Signal

from findash.tenancy.models import Tenant

ledger_written = Signal()


def ledger_written_send(
    *,
    tenant: Tenant,
    action: str,
    transactions: Sequence[Any],
    previous: Iterable[Any] = (),
) -> None:
    touched = [*transactions, *previous]
    ledger_written.send(
        sender=Tenant,
        tenant=tenant,
        action=action,
        transactions=transactions,
        previous=list(previous),
        category_ids={row.category_id for row in touched},
        months={row.date.replace(day=1) for row in touched},
    )
