"""Per-tenant data version: every write replaces it, so cached reads tagged with it go stale.

The version is a random token rather than a counter: if the cache loses it,
a fresh token is minted and every older entry becomes unreachable, so a
tenant can never be served a response older than its own last write.

Why this is race-safe enough (see ``findash.dashboard.response_cache``):
a reader reads the version *before* it computes, and stores its answer
tagged with that version; an answer is served only while its tag is still
the current version. A write replaces the version twice: once inside its
transaction (so a reader that computed from the pre-commit state tagged it
with a version that is already dead) and once on commit (so a reader that
read the version between the first bump and the commit, and may have
computed from the old state, is dead too). Any answer tagged with the
version current after the commit was computed after the commit.

If the cache cannot be written at all, the bump falls back to deleting the
key (a fresh token is then minted). If both fail the cache is unreachable,
so readers compute from the database; the one residual risk is a cache that
drops out for exactly the write and comes back for the next read, which can
then serve an answer up to ``DASHBOARD_CACHE_TTL`` old. That case is logged
as an error and counted in ``cache_errors_total``.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from findash.common.safe_cache import cache_add, cache_delete, cache_get, cache_set
from findash.common.version_memo import version_memo, version_published

logger = logging.getLogger(__name__)

_VERSION_TTL = 60 * 60 * 24 * 30
_UNSET = object()


def tenant_data_version_key(tenant_id: int) -> str:
    """The cache key holding the version (readers may fetch it with their own keys)."""
    return f"tenant:{tenant_id}:data-version"


_key = tenant_data_version_key


def shared_version(key: str) -> str | None:
    """The version held under ``key`` (minted if missing), or None when the cache cannot tell.

    Remembered in-process while Redis pub/sub tells this process about every bump
    (``findash.common.version_memo``); read from the cache otherwise.
    """
    stamp = version_memo.usable()
    if stamp is not None:
        remembered = version_memo.get(key)
        if remembered is not None:
            return remembered
    version = _shared_version_read(key)
    if stamp is not None and version is not None:
        version_memo.put(key, version, stamp)
    return version


def _shared_version_read(key: str) -> str | None:
    version = cache_get(key, _UNSET)
    if version is _UNSET:
        if cache_add(key, uuid.uuid4().hex, _VERSION_TTL) is None:
            return None
        version = cache_get(key, _UNSET)
    if version is _UNSET or version is None:
        return None
    return str(version)


def shared_version_bump(key: str) -> bool:
    """Replace the version under ``key``; False when neither the set nor the delete worked.

    Then every process that remembers versions is told (``PUBLISH``, before the caller
    answers), and this one forgets at once.
    """
    replaced = cache_set(key, uuid.uuid4().hex, _VERSION_TTL) or cache_delete(key)
    version_published(key)
    version_memo.forget(key)
    return replaced


def tenant_data_version(tenant_id: int) -> str | None:
    """The tenant's current version, or None when the cache cannot tell (do not cache then)."""
    return shared_version(_key(tenant_id))


def _bump(tenant_id: int) -> None:
    if not shared_version_bump(_key(tenant_id)):
        logger.error("stale dashboard cache possible: tenant %s version not bumped", tenant_id)


def tenant_data_changed(tenant_id: int) -> None:
    """Call from every write service; the bump happens now and again when the write commits."""
    _bump(tenant_id)  # before commit too, so no reader caches the pre-commit state late
    transaction.on_commit(lambda: _bump(tenant_id))
