"""Cache calls that never fail a request: errors are logged, counted, and read as a miss.

After ``BYPASS_AFTER`` failures in a row this process stops *reading* the
cache for ``BYPASS_SECONDS`` (each read would otherwise wait for the socket
timeout again): reads answer "miss" at once and are counted in
``cache_bypassed_total``. One slow answer under load does not trip it. Writes
that keep cached answers correct (version bumps: ``cache_set``,
``cache_delete``) are always attempted.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import Signal

# Observability counts these (``cache_errors_total``, ``cache_bypassed_total``); the
# signals keep this module free of it. Both send ``operation``.
cache_failed = Signal()
cache_bypassed = Signal()

logger = logging.getLogger("findash.cache")

BYPASS_AFTER = 3  # consecutive failures; a CPU-starved process can miss one socket timeout
BYPASS_SECONDS = 2.0
_bypass_until = 0.0
_failures_in_a_row = 0


def _ok() -> None:
    global _failures_in_a_row
    _failures_in_a_row = 0


def _failed(operation: str, key: str) -> None:
    global _bypass_until, _failures_in_a_row
    _failures_in_a_row += 1
    if _failures_in_a_row >= BYPASS_AFTER:
        _bypass_until = time.monotonic() + BYPASS_SECONDS
    cache_failed.send(sender=None, operation=operation)
    logger.warning(
        "cache %s failed; serving without the cache",
        operation,
        extra={"cache_key": key, "failures_in_a_row": _failures_in_a_row},
    )


def _bypassed(operation: str) -> bool:
    if time.monotonic() < _bypass_until:
        cache_bypassed.send(sender=None, operation=operation)
        return True
    return False


def cache_bypass_reset(**kwargs: Any) -> None:
    """Read the cache again now (also when the cache configuration changes)."""
    global _bypass_until, _failures_in_a_row
    if kwargs.get("setting", "CACHES") == "CACHES":
        _bypass_until = 0.0
        _failures_in_a_row = 0


setting_changed.connect(cache_bypass_reset)


def cache_get(key: str, default: Any = None) -> Any:
    if _bypassed("get"):
        return default
    try:
        value = caches["default"].get(key, default)
        _ok()
        return value
    except Exception:
        _failed("get", key)
        return default


def cache_get_many(keys: list[str]) -> dict[str, Any] | None:
    """The found keys' values; None when the cache failed."""
    if _bypassed("get_many"):
        return None
    try:
        found = caches["default"].get_many(keys)
        _ok()
        return found
    except Exception:
        _failed("get_many", keys[0] if keys else "")
        return None


def cache_set(key: str, value: Any, timeout: int) -> bool:
    try:
        caches["default"].set(key, value, timeout)
        _ok()
        return True
    except Exception:
        _failed("set", key)
        return False


def cache_set_many(values: dict[str, Any], timeout: int) -> bool:
    try:
        caches["default"].set_many(values, timeout)
        _ok()
        return True
    except Exception:
        _failed("set_many", next(iter(values), ""))
        return False


def cache_add(key: str, value: Any, timeout: int) -> bool | None:
    """True when added, False when the key existed, None when the cache failed."""
    if _bypassed("add"):
        return None
    try:
        added = bool(caches["default"].add(key, value, timeout))
        _ok()
        return added
    except Exception:
        _failed("add", key)
        return None


def cache_incr(key: str, timeout: int) -> int | None:
    """Atomically increment a counter, creating it at 1; None when the cache failed."""
    if _bypassed("incr"):
        return None
    cache = caches["default"]
    try:
        cache.add(key, 0, timeout)
        return int(cache.incr(key))
    except ValueError:
        # Evicted between add and incr: start over once.
        try:
            cache.add(key, 0, timeout)
            return int(cache.incr(key))
        except Exception:
            _failed("incr", key)
            return None
    except Exception:
        _failed("incr", key)
        return None


def cache_delete(key: str) -> bool:
    try:
        caches["default"].delete(key)
        _ok()
        return True
    except Exception:
        _failed("delete", key)
        return False
