"""Writes of the tenancy domain: registration, login, tenants, memberships, API tokens."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from findash.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from findash.common.money import validate_currency
from findash.tenancy.auth import Actor
from findash.tenancy.models import ApiToken, Membership, RefreshToken, Role, Tenant
from findash.tenancy.ratelimit import login_attempt_start, login_attempt_succeeded
from findash.tenancy.scoping import get_owned_or_404, tenant_scope
from findash.tenancy.tokens import TokenPair, api_token_generate, token_pair_issue

logger = logging.getLogger(__name__)

# Who may grant which role: an admin manages the team but cannot mint owners.
_GRANTABLE = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset({Role.ADMIN, Role.MEMBER, Role.VIEWER}),
}


def _loc(field: str) -> list[str | int]:
    return ["body", "payload", field]


def _require_user_login(actor: Actor, action: str) -> None:
    # An API token is scoped to one tenant's data; it never manages accounts or tokens.
    if actor.api_token is not None:
        raise Forbidden(f"{action} needs a user login, not an API token")


@dataclass(frozen=True)
class Registration:
    user_id: int
    username: str
    tenant_id: str


def _username_taken(username: str) -> bool:
    # Case-insensitive, so "Alice" cannot impersonate "alice" in member lists.
    return User.objects.filter(username__iexact=username).exists()


def user_register(
    *, username: str, password: str, email: str | None = None, base_currency: str = "USD"
) -> Registration:
    """A new user and their personal tenant, owned by them; both or neither."""
    currency = validate_currency(base_currency, _loc("base_currency"))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(_loc("email"), "enter a valid email address", "email") from exc
    candidate = User(username=username, email=email or "")
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidInput(_loc("password"), " ".join(exc.messages), "password") from exc
    conflict = Conflict(f"username {username!r} is already taken")
    if _username_taken(username):
        raise conflict
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email or "", password=password)
            tenant = Tenant.objects.create(
                tenant_type=Tenant.Type.USER, name=username, base_currency=currency
            )
            Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
    except IntegrityError as exc:  # a concurrent registration won the race
        raise conflict from exc
    return Registration(user_id=user.pk, username=user.username, tenant_id=tenant.public_id)


def user_login(*, username: str, password: str, ip: str | None) -> TokenPair:
    login_attempt_start(username=username, ip=ip)
    user = authenticate(username=username, password=password)
    if not isinstance(user, User):
        logger.info("login failed", extra={"ip": ip})
        raise Unauthorized("invalid username or password")
    login_attempt_succeeded(username=username, ip=ip)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return token_pair_issue(user=user)


def tenant_create(*, actor: Actor, name: str, base_currency: str) -> Membership:
    """An organization tenant with the caller as its owner."""
    _require_user_login(actor, "creating a tenant")
    currency = validate_currency(base_currency, _loc("base_currency"))
    if not name.strip():
        raise InvalidInput(_loc("name"), "name must not be blank", "blank")
    with transaction.atomic():
        tenant = Tenant.objects.create(
            tenant_type=Tenant.Type.ORGANIZATION, name=name.strip(), base_currency=currency
        )
        return Membership.objects.create(tenant=tenant, user=actor.user, role=Role.OWNER)


def membership_add(*, actor: Actor, tenant_id: str, username: str, role: str) -> Membership:
    """Add a user to a tenant the caller administers.

    A tenant the caller is not a member of is invisible (404); a member
    without the owner/admin role is refused (403).
    """
    _require_user_login(actor, "adding members")
    parsed = Tenant.parse_public_id(tenant_id)
    own = (
        Membership.objects.select_related("tenant")
        .filter(user=actor.user, tenant_id=parsed[1], tenant__tenant_type=parsed[0])
        .first()
        if parsed
        else None
    )
    if own is None:
        raise NotFound(f"tenant {tenant_id!r} not found")
    tenant = own.tenant
    if own.role not in _GRANTABLE:
        raise Forbidden("only an owner or an admin may add members")
    if role not in _GRANTABLE[Role(own.role)]:
        raise Forbidden(f"an {own.role} cannot grant the {role} role")
    if tenant.tenant_type == Tenant.Type.USER:
        raise Forbidden("a personal tenant cannot have other members; create an organization")
    new_member = User.objects.filter(username=username, is_active=True).first()
    if new_member is None:
        raise InvalidInput(_loc("username"), f"no user named {username!r}", "not_found")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(tenant=tenant, user=new_member, role=role)
    except IntegrityError as exc:
        raise Conflict(f"{username!r} is already a member of {tenant.public_id}") from exc
    return membership


@dataclass(frozen=True)
class IssuedApiToken:
    """A freshly created token: the only moment its secret exists outside the caller."""

    id: int
    name: str
    scope: str
    prefix: str
    expires_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime
    token: str


def api_token_create(
    *, actor: Actor, name: str, scope: str, expires_at: datetime | None = None
) -> IssuedApiToken:
    _require_user_login(actor, "creating API tokens")
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= timezone.now():
            raise InvalidInput(_loc("expires_at"), "expires_at must be in the future", "past")
    secret, prefix, digest = api_token_generate()
    with transaction.atomic(), tenant_scope(actor.tenant):
        record = ApiToken.objects.create(
            tenant=actor.tenant,
            user=actor.user,
            name=name,
            scope=scope,
            prefix=prefix,
            token_hash=digest,
            expires_at=expires_at,
        )
    return IssuedApiToken(
        id=record.pk,
        name=record.name,
        scope=record.scope,
        prefix=record.prefix,
        expires_at=record.expires_at,
        last_used_at=record.last_used_at,
        created_at=record.created_at,
        token=secret,
    )


def api_token_revoke(*, actor: Actor, token_id: int) -> None:
    """Revoke one of the caller's tokens of the acting tenant; anyone else's is a 404."""
    _require_user_login(actor, "revoking API tokens")
    with transaction.atomic(), tenant_scope(actor.tenant):
        record = get_owned_or_404(ApiToken, token_id, label="API token")
        if record.user_id != actor.user.pk or record.revoked_at is not None:
            raise NotFound(f"API token {token_id} not found")
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])


def refresh_tokens_prune(*, now: datetime | None = None) -> int:
    """Delete refresh tokens past expiry; a live token's row is kept for reuse detection."""
    deleted, _ = RefreshToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
