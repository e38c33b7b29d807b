"""Admin base for tenant-owned models: lists every tenant's rows, tenant shown and filterable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest


class TenantOwnedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_select_related = ("tenant",)
    list_filter = ("tenant",)
    raw_id_fields = ("tenant",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Staff work across tenants: the admin is an operator tool, so it is unscoped.
        queryset: QuerySet[Any] = self.model.objects.unscoped()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset
