"""Each process's copy of every flag, refreshed when another process changes one.

Steady state costs no query per flag per request: a request reads the in-memory snapshot,
and at most once every ``FLAGS_REFRESH_SECONDS`` (0.5 s) a process reads the single
``FlagsVersion`` row; only when its token changed are the flags reloaded. A write anywhere
changes the token, so every process sees it within the refresh interval.

If the store cannot be read, evaluation uses the registry defaults until the next
successful check, logging the failure at most once per ``FLAGS_ERROR_LOG_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from django.conf import settings

from findash.flags.models import Flag, FlagsVersion
from findash.flags.registry import REGISTRY
from findash.flags.state import FlagState

logger = logging.getLogger(__name__)

NEVER = float("-inf")


def registry_defaults() -> dict[str, FlagState]:
    return {key: FlagState.from_definition(definition) for key, definition in REGISTRY.items()}


def version_token_read() -> str | None:
    return FlagsVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def states_load() -> dict[str, FlagState]:
    states = registry_defaults()
    for row in Flag.objects.filter(key__in=list(REGISTRY)):
        states[row.key] = FlagState.from_row(row)
    return states


class FlagStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, FlagState] | None = None
        self._token: str | None = None
        self._loaded = False
        self._checked_at = NEVER
        self._error_logged_at = NEVER

    def states(self) -> Mapping[str, FlagState]:
        states = self._states
        interval = float(getattr(settings, "FLAGS_REFRESH_SECONDS", 0.5))
        if states is not None and time.monotonic() - self._checked_at < interval:
            return states
        # One thread refreshes; the others keep answering from the current snapshot.
        if not self._lock.acquire(blocking=states is None):
            return states  # type: ignore[return-value]  # not None: blocking otherwise
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> Mapping[str, FlagState]:
        now = time.monotonic()
        try:
            token = version_token_read()
            if self._states is None or not self._loaded or token != self._token:
                self._states = states_load()
                self._token, self._loaded = token, True
            states = self._states
        except Exception:
            self._log_unreachable(now)
            states = self._states = registry_defaults()
            self._loaded = False
        self._checked_at = now
        return states

    def _log_unreachable(self, now: float) -> None:
        every = float(getattr(settings, "FLAGS_ERROR_LOG_SECONDS", 60.0))
        if now - self._error_logged_at >= every:
            self._error_logged_at = now
            logger.warning("flag store unreachable; using registry defaults", exc_info=True)

    def invalidate(self) -> None:
        """Check the version on the next evaluation (this process just wrote a change)."""
        self._checked_at = NEVER

    def reset(self) -> None:
        """Forget everything (tests, and after the database is swapped underneath)."""
        with self._lock:
            self._states, self._token, self._loaded = None, None, False
            self._checked_at = self._error_logged_at = NEVER


flag_store = FlagStore()
