"""Every Prometheus metric the service exports, declared once.

Under gunicorn with several workers ``PROMETHEUS_MULTIPROC_DIR`` is set
(deploy/gunicorn.conf.py) and each worker writes its samples to files there;
``/metrics`` merges them. Tenant ids never become labels: they would make a
series per tenant. ``dashboard_active_tenants`` is computed at scrape time
from the shared cache (see ``findash.observability.activity``) so it is the
same number whichever worker answers the scrape.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# 5 ms … 2 s, dense around the 100/200 ms targets so p99 is resolvable there.
LATENCY_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.2,
    0.3,
    0.5,
    0.75,
    1.0,
    2.0,
)

DASHBOARD_REQUESTS = Counter(
    "dashboard_requests_total",
    "Dashboard API requests",
    ["endpoint", "tenant_type", "status"],
)
DASHBOARD_ERRORS = Counter(
    "dashboard_errors_total",
    "Dashboard API requests answered with a 5xx status",
    ["endpoint", "tenant_type"],
)
DASHBOARD_DURATION = Histogram(
    "dashboard_request_duration_seconds",
    "Dashboard request duration in seconds",
    ["endpoint", "tenant_type"],
    buckets=LATENCY_BUCKETS,
)
DASHBOARD_CACHE_HITS = Counter(
    "dashboard_cache_hits_total",
    "Dashboard responses served from the cache",
    ["cache_key_type"],
)
DASHBOARD_CACHE_MISSES = Counter(
    "dashboard_cache_misses_total",
    "Dashboard responses computed from the database",
    ["cache_key_type"],
)
HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by route pattern",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request duration in seconds by route pattern",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
CACHE_ERRORS = Counter(
    "cache_errors_total",
    "Cache operations that failed or timed out (the request was served without the cache)",
    ["operation"],
)
CACHE_BYPASSED = Counter(
    "cache_bypassed_total",
    "Cache reads skipped because the cache failed moments ago (answered without the cache)",
    ["operation"],
)
DATABASE_ERRORS = Counter(
    "database_errors_total",
    "Database errors that turned into 503 answers or failed health checks",
    ["source"],
)
HEALTH_CHECK_FAILURES = Counter(
    "health_check_failures_total",
    "Dependency checks of /health/dashboard that failed",
    ["service"],
)


class ActiveTenantsCollector(Collector):
    """``dashboard_active_tenants``: distinct tenants that used the dashboard in 15 minutes."""

    def collect(self) -> Iterator[Metric]:
        from findash.observability.activity import active_tenant_count

        gauge = GaugeMetricFamily(
            "dashboard_active_tenants",
            "Tenants that requested a dashboard in the last 15 minutes",
        )
        count = active_tenant_count()
        if count is not None:
            gauge.add_metric([], float(count))
        yield gauge


class HealthCollector(Collector):
    """``dashboard_health_status{service}``: 1 when the /health/dashboard check passes, else 0.

    Checked at scrape time, so the "health failing" alert needs no HTTP prober.
    """

    def collect(self) -> Iterator[Metric]:
        from findash.observability.health import HEALTHY, dashboard_health

        status = GaugeMetricFamily(
            "dashboard_health_status",
            "1 when the dependency check of /health/dashboard passes, 0 when it fails",
            labels=["service"],
        )
        latency = GaugeMetricFamily(
            "dashboard_health_latency_seconds",
            "How long the dependency check took at the last scrape",
            labels=["service"],
        )
        for service, result in dashboard_health()["services"].items():
            status.add_metric([service], 1.0 if result["status"] == HEALTHY else 0.0)
            latency.add_metric([service], result["latency_ms"] / 1000)
        yield status
        yield latency


class OutboxCollector(Collector):
    """``outbox_rows{status}``: notification work waiting (pending) or given up on (parked)."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count

        from findash.notifications.models import OutboxMessage

        gauge = GaugeMetricFamily(
            "outbox_rows",
            "Outbox rows (alert checks, emails, webhook deliveries) not delivered, by status",
            labels=["status"],
        )
        try:
            counts = dict(
                OutboxMessage.objects.unscoped()
                .filter(status__in=["pending", "parked"])
                .order_by()
                .values_list("status")
                .annotate(n=Count("pk"))
            )
        except Exception:  # the health collector's database check reports the cause
            counts = None
        if counts is not None:
            for status in ("pending", "parked"):
                gauge.add_metric([status], float(counts.get(status, 0)))
        yield gauge


def metrics_exposition(multiproc_dir: str | None) -> tuple[bytes, str]:
    """The text exposition: merged across workers when running multiprocess."""
    if multiproc_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiproc_dir)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(ActiveTenantsCollector())
    registry.register(HealthCollector())
    registry.register(OutboxCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _ProcessRegistry(Collector):
    """Everything in the process-wide default registry (single-process mode)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
