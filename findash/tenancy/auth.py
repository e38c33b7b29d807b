"""Bearer authentication for the API: resolves the user, the acting tenant and its role.

This is where the request's tenant scope is set (the middleware resets it).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from findash.common.errors import Forbidden
from findash.tenancy.actor import Actor
from findash.tenancy.actor_memo import actor_memo
from findash.tenancy.models import Membership, Role, Tenant
from findash.tenancy.scoping import set_tenant
from findash.tenancy.selectors import membership_get
from findash.tenancy.tokens import access_token_claims, api_token_lookup, is_api_token, user_get

__all__ = ["Actor", "TenantBearer", "actor_resolve", "request_actor"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TENANT_HEADER = "HTTP_X_TENANT_ID"


def _membership(user: User, tenant_header: str | None) -> Membership:
    memberships = Membership.objects.select_related("tenant").filter(user=user)
    if tenant_header:
        found = membership_get(user=user, public_id=tenant_header)
        if found is None:
            raise Forbidden(f"you are not a member of tenant {tenant_header!r}")
        return found
    personal = memberships.filter(tenant__tenant_type=Tenant.Type.USER).order_by("pk").first()
    if personal is None:
        raise Forbidden("you have no personal tenant; name one in X-Tenant-ID")
    return personal


def _actor_from_database(token: str, tenant_header: str | None) -> tuple[Actor, float | None]:
    """The actor and when its token stops being valid (epoch seconds; None: no expiry)."""
    if is_api_token(token):
        api_token = api_token_lookup(token)
        if tenant_header and tenant_header != api_token.tenant.public_id:
            raise Forbidden("this API token belongs to another tenant")
        membership = Membership.objects.filter(user=api_token.user, tenant=api_token.tenant).first()
        if membership is None:
            raise Forbidden("the token's owner is no longer a member of its tenant")
        expires = api_token.expires_at.timestamp() if api_token.expires_at else None
        return Actor(api_token.user, api_token.tenant, membership.role, api_token), expires
    claims = access_token_claims(token)
    user = user_get(claims)
    membership = _membership(user, tenant_header)
    return Actor(user, membership.tenant, membership.role), float(claims["exp"])


def _memoizable(request: HttpRequest, token: str) -> bool:
    """Reads with an access token; writes and personal API tokens always ask the database
    (an API token's row, its last use and expiry, is the thing an operator edits)."""
    return request.method in SAFE_METHODS and not is_api_token(token)


def actor_resolve(request: HttpRequest, token: str, *, own_settings: bool = False) -> Actor:
    """The request's actor; a write needs a role that may change the tenant's data, or,
    with ``own_settings``, only a token that is not read-only."""
    tenant_header = request.META.get(TENANT_HEADER)
    if _memoizable(request, token):
        actor = actor_memo.get(token, tenant_header or "")
        if actor is not None:
            return actor
        stamp = actor_memo.stamp()
        actor, expires_at = _actor_from_database(token, tenant_header)
        actor_memo.put(token, tenant_header or "", actor, expires_at, stamp=stamp)
        return actor
    actor, _ = _actor_from_database(token, tenant_header)
    allowed = actor.can_change_own_settings if own_settings else actor.can_write
    if request.method not in SAFE_METHODS and not allowed:
        reason = "a read-only API token" if actor.role != Role.VIEWER else "the viewer role"
        raise Forbidden(f"{reason} cannot change data")
    return actor


class TenantBearer(HttpBearer):
    """``own_settings=True`` for endpoints that change only the user's own settings in
    the tenant: a viewer may use them too (one class, so one OpenAPI security scheme)."""

    def __init__(self, *, own_settings: bool = False) -> None:
        super().__init__()
        self.own_settings = own_settings

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        actor = actor_resolve(request, token, own_settings=self.own_settings)
        request.user = actor.user
        set_tenant(actor.tenant)
        return actor


def request_actor(request: HttpRequest) -> Actor:
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # only reachable from an endpoint declared auth=None
        raise TypeError("request_actor() needs an endpoint authenticated by TenantBearer")
    return actor
