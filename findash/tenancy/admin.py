"""Operator views of tenants, memberships and credentials.

Credentials are read-only here: secrets are never stored, hashes are never
shown, and new tokens come only from the API (the one place that can show
the secret once). Operators may revoke.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from findash.tenancy.actor_memo import auth_changed
from findash.tenancy.admin_base import TenantOwnedAdmin
from findash.tenancy.models import ApiToken, Invitation, Membership, RefreshToken, Tenant


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("public_id", "tenant_type", "name", "base_currency", "created_at")
    list_filter = ("tenant_type", "base_currency")
    search_fields = ("name",)
    readonly_fields = ("created_at",)
    inlines = (MembershipInline,)

    @admin.display(description="tenant id", ordering="pk")
    def public_id(self, obj: Tenant) -> str:
        return obj.public_id


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "tenant", "user", "role", "created_at")
    list_filter = ("role", "tenant__tenant_type")
    list_select_related = ("tenant", "user")
    search_fields = ("user__username", "tenant__name")
    raw_id_fields = ("tenant", "user")
    readonly_fields = ("created_at",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Operators see invitations and may delete one; only the invitee can accept it."""

    list_display = ("id", "tenant", "username", "role", "status", "invited_by", "created_at")
    list_filter = ("status", "role")
    list_select_related = ("tenant", "invited_by")
    search_fields = ("username", "tenant__name")
    readonly_fields = (
        "tenant",
        "username",
        "invitee",
        "role",
        "invited_by",
        "status",
        "created_at",
        "responded_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.action(description="Revoke the selected tokens")
def revoke_selected(
    modeladmin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    queryset: QuerySet[ApiToken] | QuerySet[RefreshToken],
) -> None:
    revoked = queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
    auth_changed()  # update() sends no signal; processes must forget the revoked tokens
    modeladmin.message_user(request, f"Revoked {revoked} token(s).")


@admin.register(RefreshToken)
class RefreshTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("jti", "user", "family", "created_at", "expires_at", "used_at", "revoked_at")
    list_filter = ("revoked_at", "used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "family", "jti")
    fields = ("jti", "family", "user", "created_at", "expires_at", "used_at", "revoked_at")
    readonly_fields = fields
    actions = (revoke_selected,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(TenantOwnedAdmin):
    list_display = (
        "prefix",
        "name",
        "tenant",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("tenant", "user")  # type: ignore[assignment]
    list_filter = ("tenant", "scope")  # type: ignore[assignment]
    search_fields = ("name", "prefix", "user__username")
    # token_hash is deliberately absent: never displayed, never editable.
    fields = (
        "prefix",
        "name",
        "tenant",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("prefix", "tenant", "user", "scope", "created_at", "last_used_at")
    actions = (revoke_selected,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The API issues tokens: it is the only place that shows the secret once.
        return False
