"""Metric updates noted off the request path export exactly what direct updates would."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from findash.observability.metric_batch import MetricBatch
from findash.observability.metrics import LATENCY_BUCKETS


def _samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in registry.collect()
        for s in family.samples
        if not s.name.endswith("_created")
    }


def test_batched_counts_and_observations_equal_direct_ones() -> None:
    values = [0.0001, 0.005, 0.0051, 0.3, 0.75, 2.0, 2.5, 0.1, 0.1000001, 7.0]
    registries = []
    batch = MetricBatch()
    for batched in (False, True):
        registry = CollectorRegistry()
        counter = Counter("c", "c", ["route"], registry=registry)
        histogram = Histogram("h", "h", ["route"], buckets=LATENCY_BUCKETS, registry=registry)
        for value in values:
            if batched:
                batch.inc(counter.labels(route="/x"))
                batch.observe(histogram.labels(route="/x"), value)
            else:
                counter.labels(route="/x").inc()
                histogram.labels(route="/x").observe(value)
        registries.append(registry)
    assert _samples(registries[1])[("c_total", (("route", "/x"),))] == 0, "not yet written"
    batch.flush()
    assert _samples(registries[1]) == _samples(registries[0])
    assert _samples(registries[0])[("h_count", (("route", "/x"),))] == len(values)
