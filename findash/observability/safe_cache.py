"""Cache calls that never fail a request: errors are logged, counted, and read as a miss."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import caches

from findash.observability.metrics import CACHE_ERRORS

logger = logging.getLogger("findash.cache")


def _failed(operation: str, key: str) -> None:
    CACHE_ERRORS.labels(operation=operation).inc()
    logger.warning(
        "cache %s failed; serving without the cache", operation, extra={"cache_key": key}
    )


def cache_get(key: str, default: Any = None) -> Any:
    try:
        return caches["default"].get(key, default)
    except Exception:
        _failed("get", key)
        return default


def cache_get_many(keys: list[str]) -> dict[str, Any] | None:
    """The found keys' values; None when the cache failed."""
    try:
        return caches["default"].get_many(keys)
    except Exception:
        _failed("get_many", keys[0] if keys else "")
        return None


def cache_set(key: str, value: Any, timeout: int) -> bool:
    try:
        caches["default"].set(key, value, timeout)
        return True
    except Exception:
        _failed("set", key)
        return False


def cache_add(key: str, value: Any, timeout: int) -> bool | None:
    """True when added, False when the key existed, None when the cache failed."""
    try:
        return bool(caches["default"].add(key, value, timeout))
    except Exception:
        _failed("add", key)
        return None


def cache_incr(key: str, timeout: int) -> int | None:
    """Atomically increment a counter, creating it at 1; None when the cache failed."""
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
        return True
    except Exception:
        _failed("delete", key)
        return False
