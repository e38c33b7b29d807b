from __future__ import annotations

from django.contrib import admin

from findash.budgets.models import Budget
from findash.tenancy.admin_base import TenantOwnedAdmin


@admin.register(Budget)
class BudgetAdmin(TenantOwnedAdmin):
    list_display = ("id", "tenant", "category", "amount", "currency", "rollover", "start_date")
    search_fields = ("category__name",)
