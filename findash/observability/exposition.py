"""The ``/metrics`` text: declared metrics, merged across workers, plus gauges computed at
scrape time (active tenants from the shared cache, dependency health)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from findash.notifications.models import OutboxMessage
from findash.observability.activity import active_tenant_count
from findash.observability.health import HEALTHY, dashboard_health
from findash.observability.metric_batch import metric_batch
from findash.observability.resources import ResourceCollector


class ActiveTenantsCollector(Collector):
    """``dashboard_active_tenants``: distinct tenants that used the dashboard in 15 minutes."""

    def collect(self) -> Iterator[Metric]:
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
    metric_batch.flush()  # this process's noted updates (the others' are at most 1 s late)
    if multiproc_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiproc_dir)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(ActiveTenantsCollector())
    registry.register(HealthCollector())
    registry.register(ResourceCollector(multiprocess=bool(multiproc_dir)))
    registry.register(OutboxCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _ProcessRegistry(Collector):
    """Everything in the process-wide default registry (single-process mode)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
