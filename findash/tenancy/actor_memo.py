"""Who a bearer token is, remembered per process so a read costs no query.

A read request (GET/HEAD/OPTIONS) whose token and ``X-Tenant-ID`` this process resolved
less than ``AUTH_MEMO_SECONDS`` ago reuses that answer (user, tenant, role, API token)
instead of decoding the token and querying the user and membership again. Writes always
resolve from the database.

Prompt revocation: every change to a user, membership, tenant or API token replaces the
shared ``auth:version`` in the cache, at once and again on commit (see
``findash.tenancy.versioning`` for why twice), and empties this process's memo. Every
process reads that version at most every ``AUTH_VERSION_CHECK_SECONDS`` (0.5 s) and
forgets everything when it changed; so a removed member, a changed role, a deactivated
user or a revoked API token takes effect in this process at once and in every other
within that interval. When the cache cannot tell the version, the memo is not used at
all (every request queries, as without it). ``AUTH_MEMO_SECONDS`` bounds the one case the
version cannot cover: a change made while the cache was unreachable.
An access token's expiry and an API token's ``expires_at`` are checked on every use.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction

from findash.tenancy.versioning import shared_version, shared_version_bump

if TYPE_CHECKING:
    from findash.tenancy.actor import Actor

AUTH_VERSION_KEY = "auth:version"
_MAX_ENTRIES = 10_000
NEVER = float("-inf")


class ActorMemo:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (token, tenant header) -> (monotonic deadline, wall-clock expiry or None, actor)
        self._entries: dict[tuple[str, str], tuple[float, float | None, Actor]] = {}
        self._version: str | None = None
        self._checked_at = NEVER

    def get(self, token: str, tenant_header: str) -> Actor | None:
        if not self._entries or not self._current():  # _current() may empty the memo
            return None
        entry = self._entries.get((token, tenant_header))
        if entry is None:
            return None
        deadline, expires_at, actor = entry
        if time.monotonic() >= deadline or (expires_at is not None and time.time() >= expires_at):
            self._entries.pop((token, tenant_header), None)
            return None
        return actor

    def stamp(self) -> str | None:
        """The auth version to read the database under; pass it to ``put``."""
        if float(settings.AUTH_MEMO_SECONDS) <= 0:
            return None
        return self._version if self._current() else None

    def put(
        self,
        token: str,
        tenant_header: str,
        actor: Actor,
        expires_at: float | None,
        *,
        stamp: str | None,
    ) -> None:
        """Remember ``actor`` unless auth changed since ``stamp`` was taken: an answer read
        from the database before a revocation committed is never remembered after it."""
        seconds = float(settings.AUTH_MEMO_SECONDS)
        if seconds <= 0 or stamp is None or not self._current() or self._version != stamp:
            return
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()
        self._entries[(token, tenant_header)] = (time.monotonic() + seconds, expires_at, actor)

    def _current(self) -> bool:
        """True when the memo may be used; checks the shared version every interval."""
        interval = float(settings.AUTH_VERSION_CHECK_SECONDS)
        if self._version is not None and time.monotonic() - self._checked_at < interval:
            return True
        with self._lock:
            if self._version is not None and time.monotonic() - self._checked_at < interval:
                return True
            version = shared_version(AUTH_VERSION_KEY)
            if version != self._version:
                self._entries.clear()
            self._version = version
            self._checked_at = time.monotonic()
            return version is not None

    def forget(self) -> None:
        """Empty the memo and check the shared version on the next use."""
        self._entries.clear()
        self._version = None
        self._checked_at = NEVER


actor_memo = ActorMemo()


def _bump() -> None:
    actor_memo.forget()
    shared_version_bump(AUTH_VERSION_KEY)


def auth_changed(**kwargs: Any) -> None:
    """Signal receiver: who may do what changed; every process forgets what it remembered."""
    _bump()
    transaction.on_commit(_bump)


def _settings_changed(**kwargs: Any) -> None:
    if kwargs.get("setting") in ("CACHES", "AUTH_MEMO_SECONDS", "AUTH_VERSION_CHECK_SECONDS"):
        actor_memo.forget()


setting_changed.connect(_settings_changed)
