"""Import fixtures: the ledger world (org, accounts, clients) and a multipart uploader."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from findash.ledger.models import Transaction
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests.conftest import ApiClient
from tests.ledger.conftest import Ledger, ledger

__all__ = ["Ledger", "ledger", "stored", "upload"]


def upload(
    client: ApiClient,
    data: bytes,
    *,
    account_id: int,
    fmt: str,
    mapping: dict[str, Any] | str | None = None,
    dry_run: bool = False,
    filename: str = "statement",
    path: str = "/imports",
) -> Any:
    form: dict[str, Any] = {
        "file": SimpleUploadedFile(filename, data),
        "account_id": str(account_id),
        "format": fmt,
        "dry_run": "true" if dry_run else "false",
    }
    if mapping is not None:
        form["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
    return client.client.post(path, form, **client.headers)


def stored(tenant: Tenant) -> list[tuple[str, str, str, str, str]]:
    """The tenant's transactions as (date, amount, description, payee, bank_id), in order."""
    with tenant_scope(tenant):
        return [
            (str(t.date), str(t.amount), t.description, t.payee, t.bank_id)
            for t in Transaction.objects.order_by("date", "id")
        ]
