"""/health and /health/dashboard; a database outage answers 503s and recovers without restart."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from tests.conftest import ApiClient, World
from tests.observability.conftest import cache_settings, metric
from tests.services import on_postgres, require_service


def _database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")

    monkeypatch.setattr(connections["default"], "cursor", refuse)


def test_health_answers_while_the_process_can_serve(anon: ApiClient) -> None:
    response = anon.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}


def test_dashboard_health_reports_each_service_with_its_latency(anon: ApiClient, db: None) -> None:
    response = anon.client.get("/health/dashboard")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["timestamp"].endswith("Z")
    assert set(body["services"]) == {"database", "cache", "dashboard", "outbox"}
    for service in body["services"].values():
        assert service["status"] == "healthy"
        assert 0 <= service["latency_ms"] < 1000
    assert body["failing"] == []


def test_database_down_is_named_by_health_and_api_calls_answer_503(
    world: World, anon: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.client(world.owner)
    assert client.get("/accounts").status_code == 200
    errors = metric("database_errors_total", source="api")

    _database_down(monkeypatch)
    health = anon.client.get("/health/dashboard")
    api_call = client.get("/accounts")

    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "unhealthy"
    assert body["services"]["database"]["status"] == "unhealthy"
    assert body["services"]["database"]["error"] == "OperationalError"
    assert "database" in body["failing"]
    assert body["services"]["cache"]["status"] == "healthy"
    assert anon.client.get("/health").status_code == 200, "the process itself still serves"

    scrape = anon.client.get("/metrics").content.decode()
    assert 'dashboard_health_status{service="database"} 0.0' in scrape
    assert 'dashboard_health_status{service="cache"} 1.0' in scrape

    assert api_call.status_code == 503
    assert api_call.json() == {"detail": "the database is unavailable; try again shortly"}
    assert api_call["Retry-After"] == "5"
    assert metric("database_errors_total", source="api") == errors + 1

    monkeypatch.undo()  # the database is back: no restart needed
    assert anon.client.get("/health/dashboard").status_code == 200
    assert client.get("/accounts").status_code == 200
    assert 'dashboard_health_status{service="database"} 1.0' in (
        anon.client.get("/metrics").content.decode()
    )


def test_cache_down_is_named_by_health_but_does_not_fail_requests(
    world: World, anon: ApiClient, closed_port: int
) -> None:
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port}")):
        health = anon.client.get("/health/dashboard")
        api_call = world.client(world.owner).get("/accounts")
    assert health.status_code == 503
    assert health.json()["failing"] == ["cache"]
    assert health.json()["services"]["cache"]["status"] == "unhealthy"
    assert api_call.status_code == 200


def test_one_cache_timeout_under_load_is_not_reported_as_an_outage(
    anon: ApiClient, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import caches

    cache = caches["default"]
    real_get, calls = cache.get, []

    def slow_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise TimeoutError("Timeout reading from 127.0.0.1:6379")
        return real_get(*args, **kwargs)

    monkeypatch.setattr(cache, "get", slow_once)
    health = anon.client.get("/health/dashboard")
    assert health.status_code == 200 and health.json()["failing"] == []
    assert len(calls) == 2  # the probe was tried again, not skipped


@pytest.mark.django_db(transaction=True)
def test_a_real_postgres_outage_and_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server really is unreachable (closed port), then reachable again."""
    if not on_postgres():
        pytest.skip("needs PostgreSQL: SQLite has no server to lose")
    from tests import factories

    user = factories.make_user("pg-outage")
    client = ApiClient(user)
    anon = ApiClient()
    assert client.get("/accounts").status_code == 200

    connection = connections["default"]
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    down_api = client.get("/accounts")
    down_health = anon.client.get("/health/dashboard")
    connection.close()
    monkeypatch.undo()

    assert down_api.status_code == 503
    assert down_health.status_code == 503
    assert "database" in down_health.json()["failing"]
    assert client.get("/accounts").status_code == 200
    assert anon.client.get("/health/dashboard").status_code == 200


def test_a_reachable_broker_is_reported_healthy(anon: ApiClient, db: None, settings: Any) -> None:
    require_service("rabbitmq")
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    body = anon.client.get("/health/dashboard").json()
    assert body["services"]["broker"]["status"] == "healthy"
    assert body["degraded"] == []


def test_a_broker_outage_degrades_but_the_dashboard_stays_healthy(
    anon: ApiClient, db: None, settings: Any, closed_port: int
) -> None:
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    before = metric("health_check_failures_total", service="broker")
    response = anon.client.get("/health/dashboard")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert body["services"]["broker"]["status"] == "unhealthy"
    assert body["degraded"] == ["broker"]
    assert metric("health_check_failures_total", service="broker") == before + 1
