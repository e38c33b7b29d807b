"""Reads of the tenancy domain."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from findash.common.errors import Forbidden
from findash.tenancy.actor import Actor
from findash.tenancy.models import ApiToken, Invitation, Membership, Tenant


def tenant_by_public_id(*, public_id: str) -> Tenant | None:
    """The tenant a public id (``user_3``, ``org_4``) names, or None."""
    parsed = Tenant.parse_public_id(public_id)
    return Tenant.objects.filter(tenant_type=parsed[0], pk=parsed[1]).first() if parsed else None


def membership_get(*, user: User, public_id: str) -> Membership | None:
    """``user``'s membership of the tenant a public id names (tenant loaded), or None."""
    parsed = Tenant.parse_public_id(public_id)
    if parsed is None:
        return None
    return (
        Membership.objects.select_related("tenant")
        .filter(user=user, tenant_id=parsed[1], tenant__tenant_type=parsed[0])
        .first()
    )


def tenant_info_get(*, actor: Actor) -> Membership:
    """The acting tenant seen through the caller's role (unsaved: auth already resolved it)."""
    return Membership(tenant=actor.tenant, user=actor.user, role=actor.role)


def tenant_list(*, actor: Actor) -> QuerySet[Membership]:
    """The caller's tenants with their role; an API token sees only its own tenant."""
    memberships = Membership.objects.select_related("tenant").filter(user=actor.user)
    if actor.api_token is not None:
        memberships = memberships.filter(tenant=actor.tenant)
    return memberships.order_by("pk")


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The caller's live (unrevoked) tokens for the acting tenant, newest first."""
    if actor.api_token is not None:
        raise Forbidden("listing API tokens needs a user login, not an API token")
    # Scoped manager: auth has set the acting tenant for this request.
    return ApiToken.objects.filter(user=actor.user, revoked_at=None).order_by("-created_at", "-pk")


def invitations_pending_for(*, user: User) -> QuerySet[Invitation]:
    """Pending invitations addressed to ``user``: by account, or by a name they now hold."""
    addressed = Q(invitee=user) | Q(invitee=None, username__iexact=user.username)
    return Invitation.objects.filter(addressed, status=Invitation.Status.PENDING)


def invitation_list(*, actor: Actor) -> QuerySet[Invitation]:
    """The caller's pending invitations, oldest first."""
    if actor.api_token is not None:
        raise Forbidden("listing invitations needs a user login, not an API token")
    return (
        invitations_pending_for(user=actor.user)
        .select_related("tenant", "invited_by")
        .order_by("created_at", "pk")
    )
