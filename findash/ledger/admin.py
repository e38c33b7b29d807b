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
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from findash.ledger.models import Account, Category, ExchangeRate, MonthlyRollup, Transaction
from findash.tenancy.admin_base import TenantOwnedAdmin
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.versioning import tenant_data_changed


class LedgerAdmin(TenantOwnedAdmin):
    """No adds or deletes from the admin; a change form opens in its row's tenant scope."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        row = self.model.objects.unscoped().filter(pk=object_id).first() if object_id else None
        if row is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Related choices and lookups in the form are the row's own tenant's only.
        with tenant_scope(row.tenant):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
            return response

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
