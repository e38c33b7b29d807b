"""Cache calls never raise: a dead cache reads as a miss and is counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from findash.common import safe_cache
from findash.observability import activity
from findash.tenancy import versioning
from tests.observability.conftest import cache_settings, metric


@pytest.fixture
def dead_cache(closed_port: int) -> Any:
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port}")):
        yield


def test_every_operation_on_a_dead_cache_is_a_counted_miss(dead_cache: None) -> None:
    calls = {
        "get": lambda: safe_cache.cache_get("k", "default") == "default",
        "get_many": lambda: safe_cache.cache_get_many(["k"]) is None,
        "set": lambda: safe_cache.cache_set("k", 1, 10) is False,
        "add": lambda: safe_cache.cache_add("k", 1, 10) is None,
        "incr": lambda: safe_cache.cache_incr("k", 10) is None,
        "delete": lambda: safe_cache.cache_delete("k") is False,
    }
    for op, call in calls.items():
        safe_cache.cache_bypass_reset()
        before = metric("cache_errors_total", operation=op)
        assert call(), op
        assert metric("cache_errors_total", operation=op) == before + 1, op


def test_repeated_failures_stop_reads_for_a_while_but_not_version_bumps(
    dead_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(safe_cache.time, "monotonic", lambda: clock[0])
    safe_cache.cache_bypass_reset()
    errors = metric("cache_errors_total", operation="get")
    bypassed = metric("cache_bypassed_total", operation="get")

    tries = safe_cache.BYPASS_AFTER
    for _ in range(tries):  # a blip, another, ... then the cache counts as down
        safe_cache.cache_get("k")
    assert metric("cache_errors_total", operation="get") == errors + tries
    assert safe_cache.cache_get("k", "miss") == "miss"
    assert metric("cache_errors_total", operation="get") == errors + tries, "not even tried"
    assert metric("cache_bypassed_total", operation="get") == bypassed + 1

    set_errors = metric("cache_errors_total", operation="set")
    assert safe_cache.cache_set("k", 1, 10) is False
    assert metric("cache_errors_total", operation="set") == set_errors + 1, "bumps still try"

    clock[0] += safe_cache.BYPASS_SECONDS
    safe_cache.cache_get("k")
    assert metric("cache_errors_total", operation="get") == errors + tries + 1, "tried again"


def test_a_working_cache_resets_the_failure_count(monkeypatch: pytest.MonkeyPatch) -> None:
    safe_cache.cache_bypass_reset()
    cache = caches["default"]
    real_get = cache.get
    failing = [True]

    def flaky(key: str, default: Any = None, version: int | None = None) -> Any:
        if failing[0]:
            raise ConnectionError("blip")
        return real_get(key, default, version)

    monkeypatch.setattr(cache, "get", flaky)
    for _ in range(3):
        for _ in range(safe_cache.BYPASS_AFTER - 1):
            safe_cache.cache_get("k")
        failing[0] = False
        safe_cache.cache_get("k")
        failing[0] = True
    failing[0] = False
    cache.set("k", "v")
    assert safe_cache.cache_get("k") == "v", "never enough failures in a row: never bypassed"


def test_a_dead_cache_has_no_version_and_no_active_tenant_count(dead_cache: None, db: None) -> None:
    assert versioning.tenant_data_version(1) is None
    versioning.tenant_data_changed(1)  # logged and counted, never raised
    activity._recorded.clear()
    activity.tenant_seen(1)
    assert activity._recorded == set(), "not remembered: it is retried on the next request"
    assert activity.active_tenant_count() is None


def test_incr_survives_the_counter_being_evicted(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = caches["default"]
    real_incr = cache.incr
    calls: list[str] = []

    def evicted_once(key: str, delta: int = 1, version: int | None = None) -> int:
        calls.append(key)
        if len(calls) == 1:
            cache.delete(key)  # gone between add and incr
        return real_incr(key, delta, version)

    monkeypatch.setattr(cache, "incr", evicted_once)
    assert safe_cache.cache_incr("counter", 10) == 1
    assert len(calls) == 2
    assert safe_cache.cache_incr("counter", 10) == 2


def test_versions_are_minted_once_and_replaced_by_writes(db: None) -> None:
    first = versioning.tenant_data_version(42)
    assert first is not None
    assert versioning.tenant_data_version(42) == first
    versioning.tenant_data_changed(42)
    assert versioning.tenant_data_version(42) not in (None, first)
