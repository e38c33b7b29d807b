"""Which tenants used the dashboard lately, shared by every worker through the cache.

Per minute bucket: ``add`` a marker per tenant (atomic on every backend), and
the first worker to add it appends the tenant to the bucket's numbered slots
(``incr`` is atomic too). Counting reads the slots of the last 15 buckets. No
read-modify-write, so concurrent workers never lose a tenant.
"""

from __future__ import annotations

import time

from findash.common.safe_cache import cache_add, cache_get_many, cache_incr

WINDOW_MINUTES = 15
_TTL = (WINDOW_MINUTES + 2) * 60

# Per process: (minute, tenant id) pairs already recorded, so the cache is touched
# at most once per tenant per minute per worker.
_recorded: set[tuple[int, int]] = set()


def _minute(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 60)


def _record(minute: int, tenant_id: int) -> None:
    if (minute, tenant_id) in _recorded:
        return
    if len(_recorded) > 10_000:
        _recorded.clear()
    added = cache_add(f"obs:active:{minute}:t:{tenant_id}", 1, _TTL)
    if added is None:
        return  # cache down: try again next request
    _recorded.add((minute, tenant_id))
    if added:
        slot = cache_incr(f"obs:active:{minute}:n", _TTL)
        if slot is not None:
            cache_add(f"obs:active:{minute}:s:{slot}", tenant_id, _TTL)


def tenant_seen(tenant_id: int, *, now: float | None = None) -> None:
    _record(_minute(now), tenant_id)


# Noted during a request, written after its response went out (see tenant_seen_later).
_pending: set[tuple[int, int]] = set()


def tenant_seen_later(tenant_id: int, *, now: float | None = None) -> None:
    """Note the tenant without any I/O; ``pending_flush`` writes it when the request ends."""
    noted = (_minute(now), tenant_id)
    if noted not in _recorded:
        _pending.add(noted)


def pending_flush(**kwargs: object) -> None:
    """``request_finished`` receiver: the server has sent the response by then."""
    while _pending:
        try:
            minute, tenant_id = _pending.pop()
        except KeyError:  # another thread took the last one
            return
        _record(minute, tenant_id)


def active_tenant_ids(*, now: float | None = None) -> set[int] | None:
    """Tenants seen in the last 15 minutes; None when the cache cannot tell."""
    current = _minute(now)
    minutes = range(current - WINDOW_MINUTES + 1, current + 1)
    counts = cache_get_many([f"obs:active:{m}:n" for m in minutes])
    if counts is None:
        return None
    slot_keys = [
        f"obs:active:{m}:s:{i}"
        for m in minutes
        for i in range(1, int(counts.get(f"obs:active:{m}:n") or 0) + 1)
    ]
    if not slot_keys:
        return set()
    found = cache_get_many(slot_keys)
    return None if found is None else {int(v) for v in found.values()}


def active_tenant_count(*, now: float | None = None) -> int | None:
    """Distinct tenants seen in the last 15 minutes; None when the cache cannot tell."""
    found = active_tenant_ids(now=now)
    return None if found is None else len(found)
