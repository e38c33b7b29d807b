from __future__ import annotations

from django.contrib import admin

from findash.notifications.models import BudgetAlert
from findash.tenancy.admin_base import TenantOwnedAdmin


@admin.register(BudgetAlert)
class BudgetAlertAdmin(TenantOwnedAdmin):
    list_display = ("id", "tenant", "budget", "month", "status", "sent_at")
    # A record of mail already sent: shown, never edited (and no tenant-scoped form fields).
    readonly_fields = ("tenant", "budget", "month", "status", "sent_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
