"""Per-tenant data version: every write replaces it, so cached reads keyed by it go stale at once.

The version is a random token rather than a counter: if the cache loses it,
a fresh token is minted and every older entry becomes unreachable, so a
tenant can never be served a response older than its own last write.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

_VERSION_TTL = 60 * 60 * 24 * 30


def _key(tenant_id: int) -> str:
    return f"tenant:{tenant_id}:data-version"


def tenant_data_version(tenant_id: int) -> str | None:
    """The tenant's current version, or None when the cache cannot tell (do not cache then)."""
    try:
        version = cache.get(_key(tenant_id))
        if version is None:
            fresh = uuid.uuid4().hex
            cache.add(_key(tenant_id), fresh, _VERSION_TTL)
            version = cache.get(_key(tenant_id))
        return str(version) if version is not None else None
    except Exception:
        logger.warning("cache unavailable reading tenant data version", exc_info=True)
        return None


def _bump(tenant_id: int) -> None:
    try:
        cache.set(_key(tenant_id), uuid.uuid4().hex, _VERSION_TTL)
    except Exception:
        logger.warning("cache unavailable bumping tenant data version", exc_info=True)
        try:
            cache.delete(_key(tenant_id))
        except Exception:
            logger.error("stale dashboard cache possible: version not bumped", exc_info=True)


def tenant_data_changed(tenant_id: int) -> None:
    """Call from every write service; the bump happens when the transaction commits."""
    _bump(tenant_id)  # before commit too, so no reader caches the pre-commit state late
    transaction.on_commit(lambda: _bump(tenant_id))
