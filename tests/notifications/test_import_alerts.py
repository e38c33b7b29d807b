"""Imports and rule applications are ledger writes like any other: they alert too."""

from __future__ import annotations

from typing import Any

from django.core import mail

from findash.imports.services import import_file
from findash.rules.services import rule_create, rules_apply
from findash.tenancy.scoping import tenant_scope
from tests.notifications.conftest import Groceries


def _csv(groceries: Groceries, *amounts: str) -> bytes:
    day = groceries.today.isoformat()
    lines = ["date,amount,description"] + [
        f"{day},{a},SUPERMARKET {i}" for i, a in enumerate(amounts)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_an_import_categorized_by_a_rule_crosses_the_budget(
    groceries: Groceries, committed: Any
) -> None:
    org = groceries.world.org
    with tenant_scope(org):
        rule_create(tenant=org, pattern="supermarket", category_id=groceries.category.pk)
    data = _csv(groceries, "-40.00", "-45.00")
    preview = committed(
        lambda: import_file(
            tenant=org, account_id=groceries.account.pk, fmt="csv", data=data, dry_run=True
        )
    )
    assert preview.created == 2 and mail.outbox == []  # a preview writes and sends nothing
    committed(
        lambda: import_file(tenant=org, account_id=groceries.account.pk, fmt="csv", data=data)
    )
    assert len(mail.outbox) == 1 and "85.00%" in mail.outbox[0].subject


def test_applying_rules_to_stored_transactions_alerts(groceries: Groceries, committed: Any) -> None:
    org = groceries.world.org
    committed(
        lambda: import_file(
            tenant=org, account_id=groceries.account.pk, fmt="csv", data=_csv(groceries, "-120.00")
        )
    )
    assert mail.outbox == []  # uncategorized: no budget yet
    with tenant_scope(org):
        rule_create(tenant=org, pattern="supermarket", category_id=groceries.category.pk)
    committed(lambda: rules_apply(tenant=org, dry_run=False))
    assert len(mail.outbox) == 1 and "Over budget" in mail.outbox[0].subject
