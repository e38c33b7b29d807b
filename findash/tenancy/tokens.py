"""JWT access tokens, rotating refresh tokens, and personal API tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from findash.common.errors import Unauthorized
from findash.common.safe_cache import cache_get_many, cache_set
from findash.tenancy.actor_memo import auth_changed
from findash.tenancy.models import ApiToken, RefreshToken

logger = logging.getLogger(__name__)

# A public prefix that marks personal API tokens, not a secret.
API_TOKEN_PREFIX = "fd_"  # noqa: S105  # nosec B105


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105


# Only HMAC algorithms keyed by JWT_SECRET; never "none", never an asymmetric one by mistake.
ALLOWED_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})


def _algorithm() -> str:
    algorithm: str = settings.JWT_ALGORITHM
    if algorithm not in ALLOWED_ALGORITHMS:
        raise ImproperlyConfigured(
            f"JWT_ALGORITHM={algorithm!r}; use one of {sorted(ALLOWED_ALGORITHMS)}"
        )
    return algorithm


def _encode(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, settings.JWT_SECRET, algorithm=_algorithm())


def _decode(token: str, expected_type: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=[_algorithm()],
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "typ", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token has expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("token is invalid") from exc
    if claims.get("typ") != expected_type:
        raise Unauthorized(f"not an {expected_type} token")
    return claims


def _denylist_key(family: str) -> str:
    return f"revoked-token-family:{family}"


def token_families_revoke(families: list[str]) -> None:
    """Revoke refresh families and, at once, every access token issued with them.

    The rows are the record; the cache entries (kept as long as an access token
    lives) let each request check its token's family without a query.
    """
    if not families:
        return
    RefreshToken.objects.filter(family__in=families, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    ttl = int(settings.JWT_ACCESS_TTL.total_seconds()) + 60
    for family in families:
        # A failed write is logged and counted by safe_cache; the rows still say "revoked".
        cache_set(_denylist_key(family), 1, ttl)
    # Remembered actors (findash.tenancy.actor_memo) skip the check: every process forgets them.
    auth_changed()


def _family_revoked(family: str) -> bool:
    found = cache_get_many([_denylist_key(family)])
    if found is None:
        # The cache cannot tell: ask the database rather than let a revoked token through.
        logger.warning("token denylist: cache unavailable, checking the database")
        return RefreshToken.objects.filter(family=family, revoked_at__isnull=False).exists()
    return _denylist_key(family) in found


def _issue(user: User, *, family: str | None = None) -> TokenPair:
    now = timezone.now()
    access_exp = now + settings.JWT_ACCESS_TTL
    refresh_exp = now + settings.JWT_REFRESH_TTL
    family = family or uuid.uuid4().hex
    base = {"iss": settings.JWT_ISSUER, "sub": str(user.pk), "iat": now}
    access = _encode(
        {**base, "typ": "access", "jti": uuid.uuid4().hex, "fam": family, "exp": access_exp}
    )
    refresh_jti = uuid.uuid4().hex
    RefreshToken.objects.create(jti=refresh_jti, family=family, user=user, expires_at=refresh_exp)
    refresh = _encode({**base, "typ": "refresh", "jti": refresh_jti, "exp": refresh_exp})
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(settings.JWT_ACCESS_TTL.total_seconds()),
    )


def token_pair_issue(*, user: User) -> TokenPair:
    return _issue(user)


def token_pair_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is used up; presenting it again revokes its family.

    The successor is issued while the used token's row is still locked, so a
    racing reuse (which waits on that lock) always finds it and revokes it too.
    """
    claims = _decode(refresh_token, "refresh")
    with transaction.atomic():
        record = (
            RefreshToken.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(jti=claims["jti"])
            .first()
        )
        if record is None or record.revoked_at is not None:
            raise Unauthorized("refresh token is invalid")
        if record.used_at is None:
            if not record.user.is_active:
                raise Unauthorized("user is inactive")
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return _issue(record.user, family=record.family)
        token_families_revoke([record.family])
    # Raised after the commit so the family's revocation is kept.
    raise Unauthorized("refresh token was already used")


def token_pair_revoke(*, refresh_token: str) -> None:
    """Log out: the refresh token's whole family ends, and its access tokens with it."""
    claims = _decode(refresh_token, "refresh")
    record = RefreshToken.objects.filter(jti=claims["jti"]).first()
    if record is None:
        raise Unauthorized("refresh token is invalid")
    token_families_revoke([record.family])


def user_tokens_revoke(*, user: User) -> None:
    """Every session of ``user`` ends (a password change): all families, all access tokens."""
    families = list(
        RefreshToken.objects.filter(user=user, revoked_at=None)
        .values_list("family", flat=True)
        .distinct()
    )
    token_families_revoke(families)


def access_token_claims(token: str) -> dict[str, Any]:
    """The verified claims of an access token (401 when expired, tampered, revoked or not one)."""
    claims = _decode(token, "access")
    family = claims.get("fam")
    if isinstance(family, str) and _family_revoked(family):
        raise Unauthorized("token has been revoked")
    return claims


def user_get(claims: dict[str, Any]) -> User:
    """The active user an access token's claims name (401 when gone or deactivated)."""
    user = User.objects.filter(pk=claims["sub"], is_active=True).first()
    if user is None:
        raise Unauthorized("token is invalid")
    return user


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_generate() -> tuple[str, str, str]:
    """Returns (secret shown once, prefix kept for display, hash stored)."""
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return secret, secret[:10], api_token_hash(secret)


def api_token_lookup(secret: str) -> ApiToken:
    token = (
        ApiToken.objects.unscoped()
        .select_related("tenant", "user")
        .filter(token_hash=api_token_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        raise Unauthorized("API token is invalid or revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthorized("API token has expired")
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.unscoped().filter(pk=token.pk).update(last_used_at=now)
    return token


def is_api_token(secret: str) -> bool:
    return secret.startswith(API_TOKEN_PREFIX)
