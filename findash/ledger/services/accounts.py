"""Account and category writes."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from findash.common.errors import Conflict, InvalidInput
from findash.common.money import validate_amount
from findash.common.patches import patch_changes
from findash.ledger.converted import converted_ensure
from findash.ledger.models import Account, Category, Transaction
from findash.ledger.rollup_rebuild import payee_rollups_rebuild
from findash.ledger.tenant_lock import tenant_write
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, resolve_owned, scope_require
from findash.tenancy.versioning import tenant_data_changed

# Accounts


def account_create(
    *,
    tenant: Tenant,
    name: str,
    type: str,
    currency: str,
    opening_balance: Decimal = Decimal("0.00"),
    is_archived: bool = False,
) -> Account:
    scope_require(tenant)
    opening = validate_amount(opening_balance, currency, ["opening_balance"])
    with tenant_write(tenant.pk):
        account = Account.objects.create(
            tenant=tenant,
            name=name,
            type=type,
            currency=currency,
            opening_balance=opening,
            is_archived=is_archived,
        )
        if currency != tenant.base_currency:
            converted_ensure()
        tenant_data_changed(tenant.pk)
    return account


def account_update(*, tenant: Tenant, account_id: int, changes: Mapping[str, Any]) -> Account:
    scope_require(tenant)
    values = patch_changes(changes)
    with tenant_write(tenant.pk):
        account = get_owned_or_404(Account, account_id, label="account")
        currency = values.get("currency", account.currency)
        if currency != account.currency and Transaction.objects.filter(account=account).exists():
            raise Conflict(
                "the account has transactions; its currency cannot change "
                "(create a new account and transfer instead)"
            )
        opening = values.get("opening_balance", account.opening_balance)
        values["opening_balance"] = validate_amount(opening, currency, ["opening_balance"])
        for field, value in values.items():
            setattr(account, field, value)
        account.save()
        if currency != tenant.base_currency:
            converted_ensure()
        tenant_data_changed(tenant.pk)
    return account


def account_delete(*, tenant: Tenant, account_id: int) -> None:
    scope_require(tenant)
    with tenant_write(tenant.pk):
        account = get_owned_or_404(Account, account_id, label="account")
        in_use = Conflict(
            "the account has transactions; delete them first or archive the account "
            "(PATCH is_archived=true)"
        )
        if Transaction.objects.filter(account=account).exists():
            raise in_use
        try:
            with transaction.atomic():
                account.delete()
        except (ProtectedError, IntegrityError) as exc:  # a transaction was added meanwhile
            raise in_use from exc
        tenant_data_changed(tenant.pk)


# Categories


def _category_parent(
    parent_id: int | None, kind: str, category: Category | None
) -> Category | None:
    if parent_id is None:
        return None
    loc = ["parent_id"]
    parent = resolve_owned(Category, parent_id, loc)
    if parent.kind != kind:
        raise InvalidInput(loc, f"the parent category is {parent.kind}, not {kind}", "kind")
    if category is not None:
        ancestor: Category | None = parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == category.pk:
                raise InvalidInput(loc, "a category cannot be its own ancestor", "cycle")
            seen.add(ancestor.pk)
            ancestor = Category.objects.get(pk=ancestor.parent_id) if ancestor.parent_id else None
    return parent


def category_create(
    *, tenant: Tenant, name: str, kind: str, parent_id: int | None = None
) -> Category:
    scope_require(tenant)
    with tenant_write(tenant.pk):
        parent = _category_parent(parent_id, kind, None)
        category = Category.objects.create(tenant=tenant, name=name, kind=kind, parent=parent)
        tenant_data_changed(tenant.pk)
    return category


def category_update(*, tenant: Tenant, category_id: int, changes: Mapping[str, Any]) -> Category:
    scope_require(tenant)
    values = patch_changes(changes, nullable=frozenset({"parent_id"}))
    with tenant_write(tenant.pk):
        category = get_owned_or_404(Category, category_id, label="category")
        kind = values.get("kind", category.kind)
        parent_id = values.get("parent_id", category.parent_id)
        category.parent = _category_parent(parent_id, kind, category)
        if kind != category.kind and Category.objects.filter(parent=category).exists():
            raise InvalidInput(
                ["kind"], "the category has subcategories of its current kind", "kind"
            )
        kind_changed = kind != category.kind
        category.kind = kind
        category.name = values.get("name", category.name)
        category.save()
        if kind_changed:  # its flows now count (or stop counting) as payee spending
            payee_rollups_rebuild(tenant=tenant)
        tenant_data_changed(tenant.pk)
    return category


def category_delete(*, tenant: Tenant, category_id: int) -> None:
    scope_require(tenant)
    with tenant_write(tenant.pk):
        category = get_owned_or_404(Category, category_id, label="category")
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError as exc:
            raise Conflict(
                "the category is in use by transactions, budgets or subcategories; "
                "reassign or delete those first"
            ) from exc
        tenant_data_changed(tenant.pk)
