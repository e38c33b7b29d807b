"""Cache calls never raise: a dead cache reads as a miss and is counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings

from findash.observability import activity, safe_cache
from findash.tenancy import versioning
from tests.observability.conftest import cache_settings, metric


@pytest.fixture
def dead_cache(closed_port: int) -> Any:
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port}")):
        yield


def test_every_operation_on_a_dead_cache_is_a_counted_miss(dead_cache: None) -> None:
    ops = ("get", "get_many", "set", "add", "incr", "delete")
    before = {op: metric("cache_errors_total", operation=op) for op in ops}

    assert safe_cache.cache_get("k", "default") == "default"
    assert safe_cache.cache_get_many(["k"]) is None
    assert safe_cache.cache_set("k", 1, 10) is False
    assert safe_cache.cache_add("k", 1, 10) is None
    assert safe_cache.cache_incr("k", 10) is None
    assert safe_cache.cache_delete("k") is False

    for op in ops:
        assert metric("cache_errors_total", operation=op) == before[op] + 1, op


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
