"""Login attempt limits per username and per client address, counted in Django's cache.

Fixed windows: the first failed login opens a window of
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

from findash.common.errors import RateLimited

logger = logging.getLogger(__name__)

KEY_PREFIX = "login-rate"


def _subjects(username: str, ip: str | None) -> list[str]:
    # Hashed so any username is a valid cache key (memcached forbids spaces, long keys).
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()
    subjects = [f"{KEY_PREFIX}:user:{digest}"]
    if ip:
        subjects.append(f"{KEY_PREFIX}:ip:{hashlib.sha256(ip.encode()).hexdigest()}")
    return subjects


def _retry_after(started: float | None, now: float) -> int:
    window = settings.LOGIN_RATE_WINDOW_SECONDS
    if started is None:
        return int(window)
    return max(1, math.ceil(started + window - now))


def login_rate_check(*, username: str, ip: str | None) -> None:
    """Raise RateLimited when the username or the address has used up its failures."""
    now = time.time()
    limit = settings.LOGIN_RATE_LIMIT
    try:
        keys = [
            key for subject in _subjects(username, ip) for key in (f"{subject}:n", f"{subject}:t")
        ]
        values = cache.get_many(keys)
    except Exception:
        logger.warning("login rate limiter: cache unavailable, allowing the attempt", exc_info=True)
        return
    waits = [
        _retry_after(values.get(f"{subject}:t"), now)
        for subject in _subjects(username, ip)
        if int(values.get(f"{subject}:n") or 0) >= limit
    ]
    if waits:
        raise RateLimited("too many login attempts; try again later", retry_after=max(waits))


def login_failure_record(*, username: str, ip: str | None) -> None:
    window = settings.LOGIN_RATE_WINDOW_SECONDS
    now = time.time()
    try:
        for subject in _subjects(username, ip):
            cache.add(f"{subject}:t", now, window)
            if not cache.add(f"{subject}:n", 1, window):
                try:
                    cache.incr(f"{subject}:n")
                except ValueError:  # expired between add and incr
                    cache.set(f"{subject}:n", 1, window)
    except Exception:
        logger.warning("login rate limiter: cache unavailable, failure not counted", exc_info=True)
