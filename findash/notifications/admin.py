from __future__ import annotations

from django.contrib import admin

from findash.notifications.models import BudgetAlert, OutboxMessage, Webhook
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(TenantOwnedAdmin):
    """Operators look here for parked rows and their errors; rows are never edited."""

    list_display = ("id", "tenant", "topic", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "topic", "tenant")  # type: ignore[assignment]
    readonly_fields = (
        "tenant",
        "topic",
        "key",
        "webhook",
        "status",
        "attempts",
        "next_attempt_at",
        "locked_until",
        "last_error",
        "payload",
        "created_at",
        "done_at",
    )

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Webhook)
class WebhookAdmin(TenantOwnedAdmin):
    list_display = ("id", "tenant", "url", "is_active", "created_at")
    list_filter = ("is_active", "tenant")  # type: ignore[assignment]
    exclude = ("secret",)
    readonly_fields = ("tenant", "url", "events", "description", "created_at")
