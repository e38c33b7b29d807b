"""/metrics: values move with traffic, labels are route patterns, tenants are never labels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from findash.observability import activity
from findash.observability.activity import active_tenant_count, tenant_seen
from tests import factories
from tests.conftest import ApiClient, World
from tests.observability.conftest import metric

URL = "/financial/dashboard/fake"


def _scrape(client: ApiClient) -> str:
    response = client.client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        metric_name, _, value = line.rpartition(" ")
        if metric_name.split("{")[0] != name:
            continue
        if all(f'{k}="{v}"' in metric_name for k, v in labels.items()):
            return float(value)
    return 0.0


def test_dashboard_requests_move_the_counters(
    world: World, fake_dashboard: list[int], anon: ApiClient
) -> None:
    labels = {"endpoint": URL, "tenant_type": "organization", "status": "200"}
    before = _scrape(anon)
    client = world.client(world.owner, world.org)
    client.get(URL)
    client.get(URL)
    after = _scrape(anon)

    assert _sample(after, "dashboard_requests_total", **labels) == (
        _sample(before, "dashboard_requests_total", **labels) + 2
    )
    count = "dashboard_request_duration_seconds_count"
    assert _sample(after, count, endpoint=URL, tenant_type="organization") == (
        _sample(before, count, endpoint=URL, tenant_type="organization") + 2
    )
    hits = "dashboard_cache_hits_total"
    assert _sample(after, hits, cache_key_type="fake") == (
        _sample(before, hits, cache_key_type="fake") + 1
    )
    errors = "dashboard_errors_total"
    assert f'{errors}{{endpoint="{URL}",tenant_type="organization"}} 0.0' in after
    assert world.org.public_id not in after
    assert f'"{world.org.pk}"' not in after


def test_latency_buckets_resolve_5ms_to_2s(world: World, anon: ApiClient) -> None:
    text = _scrape(anon)
    for bound in ("0.005", "0.1", "0.2", "2.0"):
        assert f'le="{bound}"' in text


def test_http_metrics_use_the_route_pattern_not_the_raw_path(world: World, anon: ApiClient) -> None:
    route = "/health/dashboard"
    before = metric("http_requests_total", method="GET", route=route, status="200")
    anon.client.get("/health/dashboard")
    after = metric("http_requests_total", method="GET", route=route, status="200")
    assert after == before + 1

    unmatched = metric("http_requests_total", method="GET", route="<unmatched>", status="404")
    anon.client.get("/no/such/path/12345")
    assert metric("http_requests_total", method="GET", route="<unmatched>", status="404") == (
        unmatched + 1
    )
    text = _scrape(anon)
    assert "/no/such/path/12345" not in text


def test_routes_with_ids_are_labelled_by_pattern(world: World) -> None:
    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)
    assert client.get(f"/accounts/{account.pk}").status_code == 200
    text = _scrape(client)
    assert f"/accounts/{account.pk}" not in text
    assert 'route="/accounts/<account_id>"' in text


def test_active_tenants_counts_distinct_tenants_in_15_minutes(
    world: World, anon: ApiClient
) -> None:
    now = 1_800_000_000.0
    assert active_tenant_count(now=now) == 0
    tenant_seen(1, now=now)
    tenant_seen(2, now=now)
    tenant_seen(1, now=now + 60)
    tenant_seen(3, now=now - 14 * 60)
    assert active_tenant_count(now=now) == 3
    assert active_tenant_count(now=now + 60) == 2  # tenant 3 is 15 minutes old now
    assert active_tenant_count(now=now + 14 * 60) == 2
    assert active_tenant_count(now=now + 15 * 60) == 1  # only tenant 1's second visit
    assert active_tenant_count(now=now + 16 * 60) == 0


def test_active_tenants_gauge_follows_dashboard_use(
    world: World, fake_dashboard: list[int], anon: ApiClient
) -> None:
    activity._recorded.clear()  # this process remembers tenants of earlier tests
    before = _sample(_scrape(anon), "dashboard_active_tenants")
    world.client(world.owner, world.org).get(URL)
    world.client(world.member, world.org).get(URL)
    world.client(world.outsider).get(URL)
    assert _sample(_scrape(anon), "dashboard_active_tenants") == before + 2


def test_a_dashboard_read_notes_its_tenant_but_writes_it_after_the_response(db: None) -> None:
    from django.core.signals import request_finished

    now = 1_900_000_000.0
    activity._recorded.clear()
    activity.tenant_seen_later(41, now=now)
    activity.tenant_seen_later(41, now=now)
    activity.tenant_seen_later(42, now=now)
    assert active_tenant_count(now=now) == 0, "no cache write during the request"
    request_finished.send(sender=None)
    assert active_tenant_count(now=now) == 2
    activity.tenant_seen_later(41, now=now)
    assert activity._pending == set(), "already recorded this minute: nothing to write"


def test_metrics_can_be_limited_to_internal_networks(anon: ApiClient, settings: Any) -> None:
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    denied = anon.client.get("/metrics", REMOTE_ADDR="192.0.2.7")
    assert denied.status_code == 403
    assert anon.client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert anon.client.get("/metrics", REMOTE_ADDR="not-an-ip").status_code == 403
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert anon.client.get("/metrics").status_code == 200


_WORKER = """
import os, sys
os.environ["PROMETHEUS_MULTIPROC_DIR"] = sys.argv[1]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
from findash.observability.metrics import DASHBOARD_CACHE_HITS
DASHBOARD_CACHE_HITS.labels(cache_key_type="summary").inc(int(sys.argv[2]))
"""


def test_multiprocess_samples_from_all_workers_are_merged(tmp_path: Path, db: None) -> None:
    from findash.observability.exposition import metrics_exposition

    for count in ("3", "4"):  # two "workers", each its own process and file
        subprocess.run(
            [sys.executable, "-c", _WORKER, str(tmp_path), count], check=True, timeout=60
        )
    body, _ = metrics_exposition(str(tmp_path))
    assert _sample(body.decode(), "dashboard_cache_hits_total", cache_key_type="summary") == 7
