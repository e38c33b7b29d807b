"""Shared versions remembered per process through Redis pub/sub: exact, or not used at all.

Two ``VersionMemo`` instances stand for two gunicorn workers: each has its own
subscription (its own connection to Redis), as a process would; the bump goes through
``shared_version_bump`` (SET, then PUBLISH), exactly as a write in a third process does.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings

from findash.common.version_memo import VersionMemo, memo_status, version_memo
from findash.observability.health import dashboard_health
from findash.tenancy.versioning import shared_version, shared_version_bump
from tests.observability.conftest import cache_settings
from tests.services import require_service


@pytest.fixture
def redis_cache() -> Iterator[None]:
    require_service("redis")
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:6379/0")):
        yield


def test_a_healthy_subscription_is_reported_healthy(redis_cache: None) -> None:
    assert version_memo.wait_usable(5)
    assert dashboard_health()["services"]["version_memo"]["status"] == "healthy"


@pytest.fixture
def worker(redis_cache: None) -> Iterator[VersionMemo]:
    memo = VersionMemo()
    assert memo.wait_usable(5), memo.last_error
    yield memo
    memo.stop()


def _remember(memo: VersionMemo, key: str) -> str:
    """What a read does on a miss: take a stamp, read Redis, remember."""
    stamp = memo.usable()
    assert stamp is not None
    version = shared_version(key)
    assert version is not None
    memo.put(key, version, stamp)
    return version


def test_a_bump_elsewhere_is_seen_by_the_very_next_read(worker: VersionMemo) -> None:
    """Read your own writes across workers: no sleep between the bump and the read."""
    key = f"test:{uuid.uuid4().hex}"
    for _ in range(100):
        old = _remember(worker, key)
        assert worker.usable() is not None and worker.get(key) == old
        shared_version_bump(key)  # returns after the PUBLISH, like a write's response
        assert worker.usable() is not None
        assert worker.get(key) is None, "the invalidation was applied before the read"
        assert shared_version(key) != old


def test_concurrent_readers_never_see_a_version_older_than_a_finished_bump(
    worker: VersionMemo,
) -> None:
    key = f"test:{uuid.uuid4().hex}"
    finished: list[str] = []  # versions some bump replaced, once that bump returned
    stale: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            replaced = set(finished)
            stamp = worker.usable()
            version = worker.get(key) if stamp is not None else None
            if version is None:
                version = shared_version(key)
                if stamp is not None and version is not None:
                    worker.put(key, version, stamp)
            if version in replaced:
                stale.append(version)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(150):
            before = shared_version(key)
            shared_version_bump(key)
            finished.append(str(before))
            time.sleep(0.001)
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
    assert stale == []


def test_an_answer_read_before_an_invalidation_is_not_remembered(worker: VersionMemo) -> None:
    key = f"test:{uuid.uuid4().hex}"
    stamp = worker.usable()
    assert stamp is not None
    old = shared_version(key)
    assert old is not None
    shared_version_bump(key)
    assert worker.usable() is not None  # the invalidation arrives
    worker.put(key, old, stamp)
    assert worker.get(key) is None


def test_a_broken_subscription_is_not_used_and_comes_back_empty(worker: VersionMemo) -> None:
    key = f"test:{uuid.uuid4().hex}"
    _remember(worker, key)
    worker._pubsub.connection._sock.shutdown(socket.SHUT_RDWR)  # the connection drops

    deadline = time.monotonic() + 5
    while worker.usable() is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert worker.get(key) is None, "emptied when the subscription broke"
    shared_version_bump(key)  # missed while down: must not matter
    assert worker.wait_usable(10), "subscribes again"
    assert worker.get(key) is None
    assert _remember(worker, key) == shared_version(key)


def test_an_entry_is_read_again_after_version_memo_seconds(
    worker: VersionMemo, settings: object
) -> None:
    """The bound on a lost message (a PUBLISH that failed after its SET)."""
    key = f"test:{uuid.uuid4().hex}"
    _remember(worker, key)
    with override_settings(VERSION_MEMO_SECONDS=0.05):
        time.sleep(0.1)
        assert worker.get(key) is None


def test_a_version_changed_without_a_message_is_noticed_off_the_request_path(
    worker: VersionMemo,
) -> None:
    """A PUBLISH that failed after its SET: the subscriber's periodic re-read finds it."""
    key = f"test:{uuid.uuid4().hex}"
    _remember(worker, key)
    caches["default"].set(key, "changed-without-a-message", 60)
    deadline = time.monotonic() + 5
    while worker.get(key) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert worker.get(key) is None
    assert _remember(worker, key) == "changed-without-a-message"


def test_without_redis_the_memo_is_off_and_reads_ask_the_cache(closed_port: int) -> None:
    """Redis down: no subscription, the memo answers nothing, the status says why."""
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port}")):
        assert not version_memo.wait_usable(0.5)
        assert memo_status()["state"] in ("connecting", "down")
        assert shared_version("test:down") is None, "the cache cannot tell: do not cache"
        assert "version_memo" in dashboard_health()["degraded"], "visible in /health"


def test_locmem_has_no_memo() -> None:
    with override_settings(CACHES=cache_settings("locmem://memo-test")):
        assert version_memo.usable() is None
        assert memo_status()["state"] == "off"
