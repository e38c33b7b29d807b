from __future__ import annotations

from django.conf import settings
from django.db import models

from findash.tenancy.scoping import TenantOwnedModel
from findash.tenancy.tenant import Tenant

__all__ = ["ApiToken", "Membership", "RefreshToken", "Role", "Tenant"]


class Role(models.TextChoices):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


class Membership(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.tenant_id}:{self.role}"


class RefreshToken(models.Model):
    """One issued refresh token. Rotation marks it used; reuse revokes its family."""

    jti = models.CharField(max_length=64, unique=True)
    family = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.jti


class ApiToken(TenantOwnedModel):
    class Scope(models.TextChoices):
        READ = "read"
        READ_WRITE = "read_write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=16, choices=Scope.choices)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API token"
        indexes = [models.Index(fields=["tenant", "user"], name="apitoken_tenant_user")]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"


class Invitation(models.Model):
    """An offer of membership; the invitee becomes a member only by accepting it.

    ``username`` is what the inviter typed; ``invitee`` is set when such a user
    existed at the time. An invitation to a name nobody holds is kept the same way
    (so the answer never tells whether the name exists) and is offered to whoever
    holds that name when they look.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    username = models.CharField(max_length=150)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["invitee", "status"], name="invitation_invitee_status"),
            models.Index(fields=["username", "status"], name="invitation_username_status"),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.tenant_id}:{self.role} ({self.status})"
