from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from findash.flags import store as store_module
from findash.flags.services import flag_update
from findash.flags.store import FlagStore, flag_store

pytestmark = pytest.mark.django_db


def test_the_steady_state_costs_no_query(settings: Any) -> None:
    settings.FLAGS_REFRESH_SECONDS = 60
    store = FlagStore()
    assert store.states()["dashboard"].rollout == 100
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            store.states()
    assert len(queries) == 0


def test_an_unchanged_version_costs_one_query_and_no_reload(settings: Any) -> None:
    settings.FLAGS_REFRESH_SECONDS = 0
    flag_update(key="dashboard", rollout=30, actor="a")
    store = FlagStore()
    store.states()
    with CaptureQueriesContext(connection) as queries:
        assert store.states()["dashboard"].rollout == 30
    assert len(queries) == 1


def test_another_process_sees_a_change_once_the_interval_passes(settings: Any) -> None:
    settings.FLAGS_REFRESH_SECONDS = 60
    other_process = FlagStore()
    assert other_process.states()["dashboard"].enabled is True
    flag_update(key="dashboard", enabled=False, actor="a")
    assert other_process.states()["dashboard"].enabled is True  # within its interval
    settings.FLAGS_REFRESH_SECONDS = 0
    assert other_process.states()["dashboard"].enabled is False


def test_the_writing_process_sees_its_own_change_at_once(settings: Any) -> None:
    settings.FLAGS_REFRESH_SECONDS = 60
    assert flag_store.states()["dashboard"].enabled is True
    flag_update(key="dashboard", enabled=False, actor="a")
    assert flag_store.states()["dashboard"].enabled is False


def test_an_unreachable_store_gives_registry_defaults_and_logs_once_per_interval(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    flag_update(key="dashboard", enabled=False, actor="a")
    settings.FLAGS_REFRESH_SECONDS = 0
    settings.FLAGS_ERROR_LOG_SECONDS = 3600

    def unreachable() -> str:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(store_module, "version_token_read", unreachable)
    store = FlagStore()
    with caplog.at_level(logging.WARNING, logger="findash.flags.store"):
        for _ in range(5):
            state = store.states()["dashboard"]
            assert (state.enabled, state.rollout, state.source) == (True, 100, "default")
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1

    monkeypatch.undo()
    assert store.states()["dashboard"].enabled is False  # back to the stored truth


def test_while_one_thread_refreshes_the_others_answer_from_the_snapshot(settings: Any) -> None:
    store = FlagStore()
    store.states()
    settings.FLAGS_REFRESH_SECONDS = 0
    # store._lock held: another thread is mid-refresh.
    with store._lock, CaptureQueriesContext(connection) as queries:
        assert store.states()["dashboard"].enabled is True
    assert len(queries) == 0
