"""Admin base for tenant-owned models: lists every tenant's rows, tenant shown and filterable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from findash.tenancy.scoping import tenant_scope


class TenantOwnedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows are added through the API (a new row has no tenant to pick related rows from)."""

    list_select_related = ("tenant",)
    list_filter = ("tenant",)
    raw_id_fields = ("tenant",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Staff work across tenants: the admin is an operator tool, so it is unscoped.
        queryset: QuerySet[Any] = self.model.objects.unscoped()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
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
