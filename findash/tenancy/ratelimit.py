"""Attempt limits per username and per client address, counted in Django's cache.

One limiter serves every door that takes a password or makes an account:
``/auth/token`` and ``/admin/login/`` share the ``login`` budget (the same
credentials), ``/auth/register`` has its own (every attempt counts, nothing is
handed back). Each refusal is announced on :data:`attempt_refused` (counted in
``auth_rate_limited_total``).

Fixed windows: the first attempt opens a window of
``LOGIN_RATE_WINDOW_SECONDS``; once ``LOGIN_RATE_LIMIT`` failures are counted
in it, every attempt (even with the right password) answers 429 until it
closes. A cache outage never locks people out: the limiter logs and allows.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal

from findash.common.errors import RateLimited

logger = logging.getLogger(__name__)

KEY_PREFIX = "login-rate"
LOGIN = "login"
REGISTER = "register"

# Sent with endpoint= (e.g. "auth_token", "admin_login", "auth_register") on each refusal.
attempt_refused = Signal()


def _subjects(username: str, ip: str | None, scope: str = LOGIN) -> list[str]:
    # Hashed so any username is a valid cache key (memcached forbids spaces, long keys).
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()
    prefix = KEY_PREFIX if scope == LOGIN else f"{KEY_PREFIX}:{scope}"
    subjects = [f"{prefix}:user:{digest}"]
    if ip:
        subjects.append(f"{prefix}:ip:{hashlib.sha256(ip.encode()).hexdigest()}")
    return subjects


def _limit(scope: str) -> int:
    return int(settings.REGISTER_RATE_LIMIT if scope == REGISTER else settings.LOGIN_RATE_LIMIT)


def _retry_after(started: float | None, now: float) -> int:
    opened = now if started is None else started  # a lost start: assume a fresh window
    return max(1, math.ceil(opened + settings.LOGIN_RATE_WINDOW_SECONDS - now))


def login_attempt_start(
    *, username: str, ip: str | None, scope: str = LOGIN, endpoint: str = "auth_token"
) -> None:
    """Count this attempt, or raise RateLimited if the username or address has none left.

    Counting before the password is checked (with the cache's atomic incr)
    keeps the limit exact under concurrent guessing; a success hands its
    attempt back, so only failures use the budget up.
    """
    window = settings.LOGIN_RATE_WINDOW_SECONDS
    now = time.time()
    waits: list[int] = []
    try:
        for subject in _subjects(username, ip, scope):
            cache.add(f"{subject}:t", now, window)
            if cache.add(f"{subject}:n", 1, window):
                continue
            try:
                count = cache.incr(f"{subject}:n")
            except ValueError:  # the window closed between add and incr
                cache.set(f"{subject}:n", 1, window)
                continue
            if count > _limit(scope):
                waits.append(_retry_after(cache.get(f"{subject}:t"), now))
    except Exception:
        logger.warning("login rate limiter: cache unavailable, allowing the attempt", exc_info=True)
        return
    if waits:
        attempt_refused.send(sender=None, endpoint=endpoint)
        what = "registrations" if scope == REGISTER else "login attempts"
        raise RateLimited(f"too many {what}; try again later", retry_after=max(waits))


def login_attempt_succeeded(*, username: str, ip: str | None) -> None:
    try:
        for subject in _subjects(username, ip):
            cache.decr(f"{subject}:n")
    except Exception:  # expired meanwhile, or the cache is down: nothing to hand back
        logger.debug("login rate limiter: could not hand back a successful attempt")
