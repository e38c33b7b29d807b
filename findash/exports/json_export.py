"""``full.json``: every object of the tenant, re-importable with ``POST /imports/full``.

Written as a stream: the small tables first, then the transactions a chunk at a
time, so a tenant of any size exports in bounded memory. Money is a string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils import timezone

from findash.exports.tables import TenantTables

FORMAT = "findash.full"
VERSION = 1
ROWS_PER_CHUNK = 1000


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))


def _objects(tables: TenantTables) -> dict[str, list[dict[str, Any]]]:
    return {
        "accounts": [
            {
                "id": a.pk,
                "name": a.name,
                "type": a.type,
                "currency": a.currency,
                "opening_balance": a.opening_balance,
                "is_archived": a.is_archived,
            }
            for a in tables.accounts
        ],
        "categories": [
            {"id": c.pk, "name": c.name, "kind": c.kind, "parent_id": c.parent_id}
            for c in tables.categories
        ],
        "exchange_rates": [
            {"date": r.date, "base": r.base, "quote": r.quote, "rate": r.rate}
            for r in tables.exchange_rates
        ],
        "budgets": [
            {
                "category_id": b.category_id,
                "amount": b.amount,
                "currency": b.currency,
                "period": b.period,
                "alert_threshold": b.alert_threshold,
                "rollover": b.rollover,
                "start_date": b.start_date,
            }
            for b in tables.budgets
        ],
        "rules": [
            {
                "name": r.name,
                "priority": r.priority,
                "field": r.field,
                "match_type": r.match_type,
                "pattern": r.pattern,
                "amount_min": r.amount_min,
                "amount_max": r.amount_max,
                "category_id": r.category_id,
                "set_payee": r.set_payee,
                "is_active": r.is_active,
            }
            for r in tables.rules
        ],
    }


def full_json(tables: TenantTables) -> Iterator[str]:
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "tenant": {"name": tables.tenant.name, "base_currency": tables.tenant.base_currency},
        **_objects(tables),
    }
    yield _dumps(head)[:-1] + ',"transactions":['
    chunk: list[str] = []
    first = True
    for row in tables.transaction_rows():
        del row["created_at"]
        chunk.append(_dumps(row))
        if len(chunk) == ROWS_PER_CHUNK:
            yield ("" if first else ",") + ",".join(chunk)
            first, chunk = False, []
    if chunk:
        yield ("" if first else ",") + ",".join(chunk)
    yield "]}\n"
