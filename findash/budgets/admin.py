from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from findash.budgets.models import Budget
from findash.tenancy.admin_base import TenantOwnedAdmin
from findash.tenancy.scoping import tenant_scope


@admin.register(Budget)
class BudgetAdmin(TenantOwnedAdmin):
    list_display = ("id", "tenant", "category", "amount", "currency", "rollover", "start_date")
    search_fields = ("category__name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new budget has no tenant yet to pick categories from; the API creates them.
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        budget = Budget.objects.unscoped().filter(pk=object_id).first() if object_id else None
        if budget is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Edit within the budget's own tenant: its category choices are that tenant's only.
        with tenant_scope(budget.tenant):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
            return response
