"""The login limiter itself: exact under concurrency, on the in-process cache and on Redis."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings

from config.settings.cache import cache_config
from findash.common.errors import RateLimited
from findash.tenancy import ratelimit
from findash.tenancy.ratelimit import login_attempt_start, login_attempt_succeeded
from tests.services import require_service


def _race(attempts: int, username: str) -> list[bool]:
    """Start `attempts` logins at once; True for each that was let through."""
    barrier = threading.Barrier(attempts)
    results: list[bool] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            login_attempt_start(username=username, ip=f"198.51.100.{n}")
            allowed = True
        except RateLimited:
            allowed = False
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_guesses_get_exactly_the_limit() -> None:
    results = _race(20, "victim")
    assert len(results) == 20
    assert results.count(True) == django_settings.LOGIN_RATE_LIMIT


def test_successes_hand_their_attempt_back() -> None:
    limit = django_settings.LOGIN_RATE_LIMIT
    for _ in range(limit * 2):
        login_attempt_start(username="regular", ip="203.0.113.1")
        login_attempt_succeeded(username="regular", ip="203.0.113.1")
    for _ in range(limit):
        login_attempt_start(username="regular", ip="203.0.113.1")
    with pytest.raises(RateLimited):
        login_attempt_start(username="regular", ip="203.0.113.1")


def test_usernames_are_limited_case_insensitively() -> None:
    for n in range(django_settings.LOGIN_RATE_LIMIT):
        login_attempt_start(username="Alice" if n % 2 else "alice", ip=f"203.0.113.{n}")
    with pytest.raises(RateLimited):
        login_attempt_start(username="ALICE", ip="203.0.113.99")


def test_any_username_is_a_valid_cache_key() -> None:
    odd = "名前 with spaces\n" + "x" * 300
    login_attempt_start(username=odd, ip="2001:db8::1")
    login_attempt_succeeded(username=odd, ip="2001:db8::1")


def test_handing_back_after_the_window_closed_is_harmless() -> None:
    login_attempt_succeeded(username="never-tried", ip=None)


@pytest.mark.redis
def test_limit_is_exact_on_redis(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    require_service("redis")
    # A starved CI machine can exceed the 50 ms production timeout; the limiter would then
    # fail open, which is its documented behaviour but not what this test measures.
    monkeypatch.setenv("CACHE_SOCKET_TIMEOUT", "5")
    settings.CACHES = {"default": cache_config("redis://127.0.0.1:6379/0")}
    results = _race(12, f"redis-victim-{uuid.uuid4().hex}")  # Redis outlives test runs
    assert results.count(True) == django_settings.LOGIN_RATE_LIMIT
    login_attempt_succeeded(username="someone", ip=None)  # missing key: no error


def test_counter_expiring_between_add_and_incr_starts_a_new_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login_attempt_start(username="edge", ip=None)

    def expired(key: str, delta: int = 1) -> int:
        raise ValueError(f"Key {key!r} not found")

    with monkeypatch.context() as patched:
        patched.setattr(ratelimit.cache, "incr", expired)
        login_attempt_start(username="edge", ip=None)  # no error: counted afresh
    assert ratelimit.cache.get(f"{ratelimit._subjects('edge', None)[0]}:n") == 1


def test_retry_after_is_the_whole_window_when_its_start_was_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(django_settings.LOGIN_RATE_LIMIT):
        login_attempt_start(username="lost-start", ip=None)
    ratelimit.cache.delete(f"{ratelimit._subjects('lost-start', None)[0]}:t")

    with pytest.raises(RateLimited) as blocked:
        login_attempt_start(username="lost-start", ip=None)
    assert blocked.value.retry_after == django_settings.LOGIN_RATE_WINDOW_SECONDS
