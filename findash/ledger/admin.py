"""Operator views of the ledger.

Money moves only through the API's services, which keep the monthly rollups
exact and the dashboards' caches fresh; so transactions, rates and rollups are
read-only here, and accounts and categories allow only changes that cannot
break those invariants (names, archiving).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from findash.ledger.models import Account, Category, ExchangeRate, MonthlyRollup, Transaction
from findash.tenancy.admin_base import TenantOwnedAdmin
from findash.tenancy.versioning import tenant_data_changed


class LedgerAdmin(TenantOwnedAdmin):
    """No deletes from the admin either; edits bump the tenant's data version."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tenant_data_changed(obj.tenant_id)


class ReadOnlyLedgerAdmin(LedgerAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(LedgerAdmin):
    list_display = ("id", "tenant", "name", "type", "currency", "opening_balance", "is_archived")
    search_fields = ("name",)
    fields = ("tenant", "name", "type", "currency", "opening_balance", "is_archived", "created_at")
    readonly_fields = ("tenant", "type", "currency", "opening_balance", "created_at")


@admin.register(Category)
class CategoryAdmin(LedgerAdmin):
    list_display = ("id", "tenant", "name", "kind", "parent")
    list_select_related = ("tenant", "parent")  # type: ignore[assignment]
    search_fields = ("name",)
    fields = ("tenant", "name", "kind", "parent")
    readonly_fields = ("tenant", "kind", "parent")


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyLedgerAdmin):
    list_display = (
        "id",
        "tenant",
        "date",
        "account",
        "amount",
        "currency",
        "category",
        "payee",
        "transfer_id",
    )
    list_select_related = ("tenant", "account", "category")  # type: ignore[assignment]
    search_fields = ("description", "payee")
    date_hierarchy = "date"
    ordering = ("-date", "-id")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyLedgerAdmin):
    list_display = ("id", "tenant", "date", "base", "quote", "rate")
    ordering = ("-date", "base", "quote")


@admin.register(MonthlyRollup)
class MonthlyRollupAdmin(ReadOnlyLedgerAdmin):
    list_display = (
        "id",
        "tenant",
        "month",
        "account",
        "category_key",
        "is_transfer",
        "total",
        "inflow",
        "outflow",
        "count",
    )
    list_select_related = ("tenant", "account")  # type: ignore[assignment]
    ordering = ("-month", "account_id", "category_key")
