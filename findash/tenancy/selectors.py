"""Reads of the tenancy domain."""

from __future__ import annotations

from django.db.models import QuerySet

from findash.common.errors import Forbidden
from findash.tenancy.auth import Actor
from findash.tenancy.models import ApiToken, Membership


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
