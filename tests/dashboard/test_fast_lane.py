"""Warm dashboard reads from process memory (Redis pub/sub keeps them exact): the same
bytes and headers as the full path, nothing read for a 304, nothing stale after a write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import override_settings

from findash.common.version_memo import version_memo
from findash.dashboard.fast_lane import DashboardFastLane
from findash.tenancy.models import Membership
from tests import factories
from tests.conftest import ApiClient, World
from tests.observability.conftest import cache_settings
from tests.services import require_service

URL = "/financial/dashboard"


@pytest.fixture
def memo(world: World) -> Iterator[None]:
    require_service("redis")
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:6379/0")):
        assert version_memo.wait_usable(5), version_memo.last_error
        yield


@pytest.fixture
def lane(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """True per request the fast lane answered, False per request it passed on."""
    answered: list[bool] = []
    real = DashboardFastLane._answer

    def recording(self: DashboardFastLane, request: Any, endpoint: str) -> Any:
        response = real(self, request, endpoint)
        answered.append(response is not None)
        return response

    monkeypatch.setattr(DashboardFastLane, "_answer", recording)
    return answered


def _headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k != "X-Request-ID"}


def _spend(client: ApiClient, account_id: int, amount: str) -> None:
    body = {"account_id": account_id, "date": date.today().isoformat(), "amount": amount}
    assert client.post("/transactions", body).status_code == 201


@pytest.mark.parametrize(
    "path", [URL, URL + "?period=last_12_months", URL + "/summary?start=2026-01-01&end=2026-01-31"]
)
def test_the_fast_lane_answers_what_the_full_path_answers(
    world: World, memo: None, lane: list[bool], path: str
) -> None:
    client = world.client(world.owner)
    full = client.get(path)
    fast = client.get(path)
    assert lane == [False, True], "the first read fills the memos, the second is served"
    assert full.status_code == fast.status_code == 200
    assert fast.content == full.content
    assert _headers(fast) == _headers(full)

    lane.clear()
    full_304 = client.get(path + ("&" if "?" in path else "?") + "x=1", HTTP_IF_NONE_MATCH="x")
    assert lane == [False] and full_304.status_code == 200, "unknown parameters: full path"
    fast_304 = client.get(path, HTTP_IF_NONE_MATCH=full["ETag"])
    assert fast_304.status_code == 304 and fast_304.content == b""
    assert fast_304["ETag"] == full["ETag"] and lane[-1] is True


def test_a_304_from_memory_reads_nothing_and_renders_nothing(
    world: World, memo: None, lane: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from findash.dashboard import response_cache, selectors

    client = world.client(world.owner)
    etag = client.get(URL)["ETag"]
    client.get(URL)  # the memos are full
    touched: list[str] = []
    monkeypatch.setattr(response_cache, "cache_get_many", lambda keys: touched.append("cache"))
    monkeypatch.setattr(response_cache, "_render", lambda payload: touched.append("render"))
    monkeypatch.setattr(selectors, "dashboard_data_get", lambda **kw: touched.append("compute"))
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert touched == []
    assert lane[-1] is True


def test_nothing_stale_is_served_after_a_write(world: World, memo: None, lane: list[bool]) -> None:
    client = world.client(world.owner)
    account = factories.make_account(world.owner_personal)
    before = client.get(URL)
    assert client.get(URL).content == before.content and lane[-1] is True

    _spend(client, account.pk, "-12.34")
    after = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200, "the old ETag no longer matches"
    assert after.content != before.content and after["ETag"] != before["ETag"]
    assert after.json()["summary"]["expenses"] == "12.34"
    assert lane[-1] is False, "the write emptied the memo: computed on the full path"
    assert client.get(URL).content == after.content and lane[-1] is True


def test_a_removed_member_is_refused_not_served_from_memory(
    world: World, memo: None, lane: list[bool]
) -> None:
    client = world.client(world.member, world.org)
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200 and lane[-1] is True
    Membership.objects.filter(user=world.member, tenant=world.org).delete()
    assert client.get(URL).status_code == 403
    assert lane[-1] is False


def test_without_the_memo_the_full_path_answers(world: World, lane: list[bool]) -> None:
    """locmem (the default): no pub/sub, so nothing is answered from the fast lane."""
    client = world.client(world.owner)
    first = client.get(URL)
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and again.status_code == 304
    assert lane == [False, False]
