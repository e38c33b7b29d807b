"""Dependency checks behind /health/dashboard: each timed, each failing on its own."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from kombu.connection import Connection

from findash.common.version_memo import memo_status, version_memo
from findash.ledger.models import MonthlyRollup
from findash.notifications.models import OutboxMessage
from findash.observability.metrics import DATABASE_ERRORS, HEALTH_CHECK_FAILURES

logger = logging.getLogger("findash.health")

HEALTHY = "healthy"
UNHEALTHY = "unhealthy"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_round_trip() -> None:
    cache = caches["default"]
    key = f"health:probe:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("cache did not return what was just stored")


def _cache() -> None:
    # Tried twice: a CPU-starved process can miss one short socket timeout
    # (CACHE_SOCKET_TIMEOUT) without the cache being down.
    try:
        _cache_round_trip()
    except Exception:  # the second try reports it
        _cache_round_trip()


def _dashboard() -> None:
    # The dashboard reads the rollups table; it must exist and be readable. An
    # operator check across tenants, hence unscoped; it reads no tenant's data.
    list(MonthlyRollup.objects.unscoped().order_by().values_list("pk", flat=True)[:1])


def _broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as conn:  # type: ignore[no-untyped-call]
        conn.ensure_connection(max_retries=1, timeout=1)


class OutboxBacklog(RuntimeError):
    pass


def _outbox() -> None:
    # Notification work (alerts, emails, webhooks) due for a while but not done: the broker
    # or the workers are away. Writes still succeed, so this degrades rather than fails.
    waited = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    stale = OutboxMessage.objects.unscoped().filter(status="pending", next_attempt_at__lt=waited)
    if stale.order_by().values_list("pk", flat=True)[:1]:
        raise OutboxBacklog(f"outbox rows due for more than {settings.OUTBOX_STALE_SECONDS} s")


class VersionMemoDown(RuntimeError):
    pass


def _version_memo() -> None:
    # This worker's subscription for shared-version changes: without it every warm read
    # asks Redis again (correct, slower), so it degrades rather than fails.
    if version_memo.usable() is None:
        status = memo_status()
        raise VersionMemoDown(f"{status['state']}: {status['last_error']}")


def _version_memo_expected() -> bool:
    from django.core.cache.backends.redis import RedisCache

    return bool(settings.VERSION_MEMO_SECONDS) and isinstance(caches["default"], RedisCache)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "dashboard": _dashboard,
}
# Checked only when a broker is configured. Background work waits in the broker's absence
# while every dashboard answer still serves, so an outage degrades rather than fails.
OPTIONAL_CHECKS: dict[str, Callable[[], None]] = {"broker": _broker}


def _run(name: str, check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        latency = round((time.perf_counter() - started) * 1000, 2)
        HEALTH_CHECK_FAILURES.labels(service=name).inc()
        if name in ("database", "dashboard"):
            DATABASE_ERRORS.labels(source="health").inc()
        logger.warning("health check %s failed: %s", name, exc)
        return {"status": UNHEALTHY, "latency_ms": latency, "error": type(exc).__name__}
    return {"status": HEALTHY, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def dashboard_health() -> dict[str, Any]:
    services = {name: _run(name, check) for name, check in CHECKS.items()}
    failing = [name for name, result in services.items() if result["status"] != HEALTHY]
    optional = {
        **(OPTIONAL_CHECKS if settings.CELERY_BROKER_URL else {}),
        "outbox": _outbox,
        **({"version_memo": _version_memo} if _version_memo_expected() else {}),
    }
    extras = {name: _run(name, check) for name, check in optional.items()}
    services.update(extras)
    return {
        "status": UNHEALTHY if failing else HEALTHY,
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "services": services,
        "failing": failing,
        "degraded": [name for name, result in extras.items() if result["status"] != HEALTHY],
    }
