"""Writes of the tenancy domain: registration, login, tenants, invitations, API tokens."""

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
from findash.tenancy.emails import invitation_email_send
from findash.tenancy.models import ApiToken, Invitation, Membership, RefreshToken, Role, Tenant
from findash.tenancy.ratelimit import REGISTER, login_attempt_start, login_attempt_succeeded
from findash.tenancy.scoping import get_owned_or_404, scope_require
from findash.tenancy.selectors import invitations_pending_for, membership_get
from findash.tenancy.tokens import (
    TokenPair,
    api_token_generate,
    token_pair_issue,
    user_tokens_revoke,
)

logger = logging.getLogger(__name__)

MAX_PENDING_INVITATIONS = 50  # per tenant

# Who may grant which role: an admin manages the team but cannot mint owners.
_GRANTABLE = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset({Role.ADMIN, Role.MEMBER, Role.VIEWER}),
}


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
    *,
    username: str,
    password: str,
    email: str | None = None,
    base_currency: str = "USD",
    ip: str | None = None,
) -> Registration:
    """A new user and their personal tenant, owned by them; both or neither.

    Every attempt counts against the client address and the requested name.
    """
    login_attempt_start(username=username, ip=ip, scope=REGISTER, endpoint="auth_register")
    currency = validate_currency(base_currency, ["base_currency"])
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(["email"], "enter a valid email address", "email") from exc
    candidate = User(username=username, email=email or "")
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidInput(["password"], " ".join(exc.messages), "password") from exc
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


def user_password_change(
    *, actor: Actor, current_password: str, new_password: str, ip: str | None
) -> None:
    """A new password; every session of the user ends (refresh and access tokens alike).

    The current password is checked under the login limiter, like a login.
    """
    _require_user_login(actor, "changing the password")
    user = actor.user
    login_attempt_start(username=user.username, ip=ip, endpoint="auth_password")
    if not user.check_password(current_password):
        raise InvalidInput(["current_password"], "the current password is wrong", "password")
    login_attempt_succeeded(username=user.username, ip=ip)
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise InvalidInput(["new_password"], " ".join(exc.messages), "password") from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])  # the signal revokes every login on commit
        user_tokens_revoke(user=user)  # and so does this, now: the answer waits for it


def tenant_create(*, actor: Actor, name: str, base_currency: str) -> Membership:
    """An organization tenant with the caller as its owner."""
    _require_user_login(actor, "creating a tenant")
    currency = validate_currency(base_currency, ["base_currency"])
    if not name.strip():
        raise InvalidInput(["name"], "name must not be blank", "blank")
    with transaction.atomic():
        tenant = Tenant.objects.create(
            tenant_type=Tenant.Type.ORGANIZATION, name=name.strip(), base_currency=currency
        )
        return Membership.objects.create(tenant=tenant, user=actor.user, role=Role.OWNER)


def _administered_tenant(actor: Actor, tenant_id: str) -> Membership:
    """The caller's membership of ``tenant_id``; a tenant they are not in is a 404."""
    own = membership_get(user=actor.user, public_id=tenant_id)
    if own is None:
        raise NotFound(f"tenant {tenant_id!r} not found")
    return own


def _may_grant(membership: Membership | None, role: str) -> bool:
    return membership is not None and role in _GRANTABLE.get(Role(membership.role), frozenset())


def membership_invite(*, actor: Actor, tenant_id: str, username: str, role: str) -> Invitation:
    """Invite someone to a tenant the caller administers; nobody joins without accepting.

    A tenant the caller is not a member of is invisible (404); a member without
    the owner/admin role is refused (403). The answer is the same whether or not
    ``username`` exists, is active or is already a member: a pending invitation.
    Inviting the same name again replaces the role of the pending invitation.
    """
    _require_user_login(actor, "inviting members")
    own = _administered_tenant(actor, tenant_id)
    tenant = own.tenant
    if own.role not in _GRANTABLE:
        raise Forbidden("only an owner or an admin may invite members")
    if not _may_grant(own, role):
        raise Forbidden(f"an {own.role} cannot grant the {role} role")
    if tenant.tenant_type == Tenant.Type.USER:
        raise Forbidden("a personal tenant cannot have other members; create an organization")
    invitee = User.objects.filter(username__iexact=username, is_active=True).first()
    with transaction.atomic():
        pending = (
            Invitation.objects.select_for_update()
            .filter(tenant=tenant, username__iexact=username, status=Invitation.Status.PENDING)
            .first()
        )
        if pending is not None:
            pending.role = role
            pending.invited_by = actor.user
            pending.save(update_fields=["role", "invited_by"])
            return pending
        pending_count = Invitation.objects.filter(
            tenant=tenant, status=Invitation.Status.PENDING
        ).count()
        if pending_count >= MAX_PENDING_INVITATIONS:
            # Invitations send email: a cap keeps a tenant from becoming a mailing cannon.
            raise Conflict(
                f"{tenant.public_id} has {MAX_PENDING_INVITATIONS} pending invitations; "
                "wait for answers before inviting more"
            )
        invitation = Invitation.objects.create(
            tenant=tenant, username=username, invitee=invitee, role=role, invited_by=actor.user
        )
        if invitee is not None and invitee.email:
            transaction.on_commit(lambda: invitation_email_send(invitation=invitation))
    return invitation


def _pending_invitation_for(user: User, invitation_id: int) -> Invitation:
    found = (
        invitations_pending_for(user=user)
        .select_for_update(of=("self",))
        .filter(pk=invitation_id)
        .first()
    )
    if found is None:
        raise NotFound(f"invitation {invitation_id} not found")
    return found


def invitation_accept(*, actor: Actor, invitation_id: int) -> Invitation:
    """The caller joins the tenant with the invited role (an existing membership is kept).

    The invitation must still be backed by its inviter's right to grant the role:
    an inviter who has since lost it (or left) cannot bring anyone in.
    """
    _require_user_login(actor, "accepting invitations")
    with transaction.atomic():
        invitation = _pending_invitation_for(actor.user, invitation_id)
        inviter = (
            Membership.objects.filter(
                tenant_id=invitation.tenant_id, user_id=invitation.invited_by_id
            ).first()
            if invitation.invited_by_id is not None
            else None
        )
        if not _may_grant(inviter, invitation.role):
            raise NotFound(f"invitation {invitation_id} not found")
        Membership.objects.get_or_create(
            tenant_id=invitation.tenant_id, user=actor.user, defaults={"role": invitation.role}
        )
        invitation.status = Invitation.Status.ACCEPTED
        invitation.invitee = actor.user
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "invitee", "responded_at"])
    return invitation


def invitation_decline(*, actor: Actor, invitation_id: int) -> Invitation:
    _require_user_login(actor, "declining invitations")
    with transaction.atomic():
        invitation = _pending_invitation_for(actor.user, invitation_id)
        invitation.status = Invitation.Status.DECLINED
        invitation.invitee = actor.user
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "invitee", "responded_at"])
    return invitation


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
            raise InvalidInput(["expires_at"], "expires_at must be in the future", "past")
    scope_require(actor.tenant)
    secret, prefix, digest = api_token_generate()
    with transaction.atomic():
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
    scope_require(actor.tenant)
    with transaction.atomic():
        record = get_owned_or_404(ApiToken, token_id, label="API token")
        if record.user_id != actor.user.pk or record.revoked_at is not None:
            raise NotFound(f"API token {token_id} not found")
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])


def refresh_tokens_prune(*, now: datetime | None = None) -> int:
    """Delete refresh tokens past expiry; a live token's row is kept for reuse detection."""
    deleted, _ = RefreshToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
