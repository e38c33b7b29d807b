"""dashboard_response: cached per tenant and query, never older than the tenant's last write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from findash.dashboard.response_cache import dashboard_cache_key, normalized_params
from tests import factories
from tests.conftest import World
from tests.observability.conftest import cache_settings, metric

URL = "/financial/dashboard/fake"


def test_a_write_makes_the_next_dashboard_fresh(
    world: World, cache_backend: str, fake_dashboard: list[int]
) -> None:
    client = world.client(world.owner, world.org)
    account = factories.make_account(world.org)
    factories.make_transaction(world.org, account, amount=Decimal("-10.00"))

    first = client.get(URL)
    again = client.get(URL)
    assert first.status_code == again.status_code == 200
    assert first.json()["total"] == again.json()["total"] == "-10.00"
    assert len(fake_dashboard) == 1, "the second read is served from the cache"

    factories.make_transaction(world.org, account, amount=Decimal("-2.50"))

    after_write = client.get(URL)
    assert after_write.json()["total"] == "-12.50"
    assert len(fake_dashboard) == 2


def test_an_answer_computed_before_a_concurrent_write_is_not_served_after_it(
    world: World, cache_backend: str, fake_dashboard: list[int]
) -> None:
    """A slow reader computes from the old data while a write commits: its answer is
    stored, but tagged with the version the write replaced, so nobody is served it."""
    from tests.observability import urls

    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)

    def concurrent_write() -> None:
        factories.make_transaction(world.owner_personal, account, amount=Decimal("-3.00"))

    urls.DURING_COMPUTE.append(concurrent_write)
    stale = client.get(URL)
    assert stale.json()["total"] == "0.00", "computed before the write was visible"

    fresh = client.get(URL)
    assert fresh.json()["total"] == "-3.00"
    assert len(fake_dashboard) == 2
    assert client.get(URL).json()["total"] == "-3.00"
    assert len(fake_dashboard) == 2, "the fresh answer is cached"


def test_tenants_never_share_cached_answers(
    world: World, cache_backend: str, fake_dashboard: list[int]
) -> None:
    factories.make_transaction(
        world.org, factories.make_account(world.org), amount=Decimal("-7.00")
    )
    org = world.client(world.owner, world.org).get(URL)
    personal = world.client(world.owner).get(URL)
    outsider = world.client(world.outsider).get(URL)

    assert org.json() == {"tenant_id": world.org.public_id, "total": "-7.00", "period": {}}
    assert personal.json()["tenant_id"] == world.owner_personal.public_id
    assert personal.json()["total"] == outsider.json()["total"] == "0.00"
    assert len(fake_dashboard) == 3


def test_each_query_is_cached_on_its_own(world: World, fake_dashboard: list[int]) -> None:
    client = world.client(world.owner)
    client.get(URL + "?period=last_month")
    client.get(URL + "?period=last_year")
    client.get(URL + "?period=last_month")
    client.get(URL + "?start=2026-01-01&end=2026-01-31")
    client.get(URL + "?end=2026-01-31&start=2026-01-01")
    assert len(fake_dashboard) == 3


def test_relative_periods_are_keyed_by_today_absolute_ones_are_not() -> None:
    relative = {"period": "current_month"}
    absolute = {"start": date(2026, 1, 1), "end": date(2026, 1, 31)}
    day1, day2 = date(2026, 3, 31), date(2026, 4, 1)

    def key(params: dict[str, Any], today: date) -> str:
        return dashboard_cache_key(tenant_id=1, endpoint="summary", params=params, today=today)

    assert key(relative, day1) != key(relative, day2)
    assert key({}, day1) != key({}, day2), "no period means current_month"
    assert key(absolute, day1) == key(absolute, day2)
    with override_settings(GIT_SHA="another-release"):
        other_release = key(absolute, day1)
    assert other_release != key(absolute, day1), "a new release never reads old answers"
    assert normalized_params({"period": None, "b": 1, "a": "x"}, today=day1) == (
        '{"@today":"2026-03-31","a":"x","b":"1"}'
    )


def test_etag_and_if_none_match_answer_304_without_body(
    world: World, fake_dashboard: list[int]
) -> None:
    client = world.client(world.owner)
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    not_modified = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    listed = client.get(URL, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert listed.status_code == 304
    other = client.get(URL, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert other.json() == first.json()


def test_after_a_write_the_old_etag_no_longer_matches(
    world: World, fake_dashboard: list[int]
) -> None:
    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)
    etag = client.get(URL)["ETag"]
    factories.make_transaction(world.owner_personal, account, amount=Decimal("5.00"))
    fresh = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh.json()["total"] == "5.00"


def test_hits_and_misses_are_counted(world: World, fake_dashboard: list[int]) -> None:
    hits = metric("dashboard_cache_hits_total", cache_key_type="fake")
    misses = metric("dashboard_cache_misses_total", cache_key_type="fake")
    client = world.client(world.owner)
    client.get(URL)
    client.get(URL)
    client.get(URL)
    assert metric("dashboard_cache_hits_total", cache_key_type="fake") == hits + 2
    assert metric("dashboard_cache_misses_total", cache_key_type="fake") == misses + 1


@pytest.mark.parametrize("scheme", ["redis", "pymemcache"])
@pytest.mark.parametrize("port_kind", ["closed_port", "silent_port"])
def test_a_down_or_hung_cache_degrades_to_the_database(
    world: World,
    fake_dashboard: list[int],
    scheme: str,
    port_kind: str,
    request: pytest.FixtureRequest,
) -> None:
    port = request.getfixturevalue(port_kind)
    account = factories.make_account(world.owner_personal)
    with override_settings(CACHES=cache_settings(f"{scheme}://127.0.0.1:{port}")):
        errors = sum(
            metric("cache_errors_total", operation=op)
            for op in ("get", "get_many", "add", "incr", "set", "delete")
        )
        client = world.client(world.owner)
        first = client.get(URL)
        factories.make_transaction(world.owner_personal, account, amount=Decimal("-1.00"))
        second = client.get(URL)
        after = sum(
            metric("cache_errors_total", operation=op)
            for op in ("get", "get_many", "add", "incr", "set", "delete")
        )

    assert first.status_code == second.status_code == 200
    assert first.json()["total"] == "0.00"
    assert second.json()["total"] == "-1.00"
    assert len(fake_dashboard) == 2, "every request computed from the database"
    assert after > errors


def test_a_hung_cache_costs_at_most_a_few_timeouts(
    world: World, fake_dashboard: list[int], silent_port: int
) -> None:
    import time

    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{silent_port}")):
        client = world.client(world.owner)
        client.get(URL)  # connection setup, auth, first compile
        started = time.perf_counter()
        response = client.get(URL)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    # version get + add + activity add + set: each bounded by the 50 ms socket timeout
    assert elapsed < 1.0


def test_the_cache_can_be_switched_off(
    world: World, fake_dashboard: list[int], settings: Any
) -> None:
    settings.DASHBOARD_CACHE_ENABLED = False
    client = world.client(world.owner)
    client.get(URL)
    client.get(URL)
    assert len(fake_dashboard) == 2


def test_disabled_dashboard_flag_answers_404(
    world: World, fake_dashboard: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("findash.dashboard.response_cache.flag_enabled", lambda key, tenant: False)
    response = world.client(world.owner).get(URL)
    assert response.status_code == 404
    assert response.json() == {"detail": "feature 'dashboard' is disabled"}
    assert fake_dashboard == []


def test_concurrent_misses_compute_once_and_share_the_answer() -> None:
    """Right after a write, identical requests wait for one computation instead of all
    running the same queries."""
    import threading
    import time

    from findash.dashboard.response_cache import _cached_or_computed

    computed: list[int] = []
    started = threading.Event()

    def slow_compute() -> dict[str, int]:
        computed.append(1)
        started.set()
        time.sleep(0.3)
        return {"answer": 42}

    results: list[tuple[bytes, str, bool]] = []

    def ask() -> None:
        results.append(
            _cached_or_computed(tenant_id=7, endpoint="summary", params={}, compute=slow_compute)
        )

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)

    assert len(computed) == 1
    assert len(results) == 4
    assert {body for body, _, _ in results} == {b'{"answer": 42}'}
    assert sorted(hit for _, _, hit in results) == [False, True, True, True]


def test_waiters_do_not_wait_for_a_computation_that_failed() -> None:
    import threading
    import time

    from findash.common.errors import InvalidInput
    from findash.dashboard.response_cache import _cached_or_computed

    started = threading.Event()
    errors: list[float] = []

    def failing_compute() -> dict[str, int]:
        started.set()
        time.sleep(0.1)
        raise InvalidInput("period", "unknown period")

    def ask() -> None:
        begun = time.monotonic()
        try:
            _cached_or_computed(
                tenant_id=8,
                endpoint="summary",
                params={},
                compute=failing_compute,
            )
        except InvalidInput:
            errors.append(time.monotonic() - begun)

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    second = threading.Thread(target=ask)
    second.start()
    for thread in (first, second):
        thread.join(10)
    assert len(errors) == 2
    assert max(errors) < 1.5, "the waiter noticed the lock was released without an answer"


def test_a_304_reads_the_version_and_the_etag_only_never_the_body(
    world: World, fake_dashboard: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from findash.dashboard import response_cache

    client = world.client(world.owner)
    first = client.get(URL)
    asked: list[list[str]] = []
    real_get_many = response_cache.cache_get_many

    def recording_get_many(keys: list[str]) -> Any:
        asked.append(list(keys))
        return real_get_many(keys)

    monkeypatch.setattr(response_cache, "cache_get_many", recording_get_many)

    not_modified = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert len(asked) == 1, "one round trip"
    version_key, etag_key = asked[0]
    assert version_key.endswith("data-version") and etag_key.endswith(":etag")

    asked.clear()
    hit = client.get(URL)
    assert hit.status_code == 200 and hit.content == first.content
    assert len(asked) == 1, "a hit is one round trip too"
    assert asked[0] == [version_key, etag_key.removesuffix(":etag")]
    assert len(fake_dashboard) == 1


def test_a_stale_etag_gets_the_current_body(world: World, fake_dashboard: list[int]) -> None:
    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)
    etag = client.get(URL)["ETag"]
    factories.make_transaction(world.owner_personal, account, amount=Decimal("-4.00"))
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get(URL, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304
    assert len(fake_dashboard) == 2
