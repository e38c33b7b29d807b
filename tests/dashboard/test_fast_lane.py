"""Warm dashboard reads served before Django's handler (config/fast_lane.py) from process
memory that Redis pub/sub keeps exact: the same bytes and headers as the full path,
nothing read or rendered for a 304, nothing stale after a write or a revoked membership.

The WSGI application is called directly (Django's test client has its own handler)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

import config.fast_lane
from config.fast_lane import FastLane
from findash.common.version_memo import version_memo
from findash.observability.metric_batch import metric_batch
from findash.tenancy.models import Membership
from tests import factories
from tests.conftest import World
from tests.observability.conftest import cache_settings, metric
from tests.services import require_service

URL = "/financial/dashboard"
Answer = tuple[str, dict[str, str], bytes]


class Wsgi:
    """The full path (Django's handler) and the served application (lane in front)."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.served = FastLane(self.django)

    def get(self, app: Any, path: str, **headers: str) -> Answer:
        # As Django's test client does (and it connects them again after each of its own
        # requests): the test's transaction must survive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        url, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            **{"HTTP_" + k.upper(): v for k, v in headers.items()},
        }
        started: list[Any] = []
        result = app(environ, lambda status, hs, *exc: started.extend([status, hs]))
        body = b"".join(result)
        getattr(result, "close", lambda: None)()
        return started[0], {k: v for k, v in started[1] if k != "X-Request-ID"}, body


@pytest.fixture
def wsgi(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Wsgi]:
    monkeypatch.setattr(config.fast_lane, "close_old_connections", lambda: None)
    try:
        yield Wsgi()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def memo(wsgi: Wsgi) -> Iterator[None]:
    require_service("redis")
    with override_settings(CACHES=cache_settings("redis://127.0.0.1:6379/0")):
        assert version_memo.wait_usable(5), version_memo.last_error
        yield


@pytest.fixture
def lane(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """True per request the lane answered, False per request it passed on."""
    answered: list[bool] = []
    real = config.fast_lane.warm_answer

    def recording(environ: dict[str, Any]) -> Any:
        answer = real(environ)
        answered.append(answer is not None)
        return answer

    monkeypatch.setattr(config.fast_lane, "warm_answer", recording)
    return answered


@pytest.mark.parametrize(
    "path", [URL, URL + "?period=last_12_months", URL + "/summary?start=2026-01-01&end=2026-01-31"]
)
def test_the_lane_answers_what_the_full_path_answers(
    world: World, wsgi: Wsgi, memo: None, lane: list[bool], path: str
) -> None:
    auth = factories.bearer(world.owner)
    full = wsgi.get(wsgi.served, path, AUTHORIZATION=auth)
    fast = wsgi.get(wsgi.served, path, AUTHORIZATION=auth)
    assert lane == [False, True], "the first read fills the memos, the second is served"
    assert full[0] == fast[0] == "200 OK"
    assert fast == full, "same status, headers and bytes"

    etag = full[1]["ETag"]
    fast_304 = wsgi.get(wsgi.served, path, AUTHORIZATION=auth, IF_NONE_MATCH=etag)
    full_304 = wsgi.get(wsgi.django, path, AUTHORIZATION=auth, IF_NONE_MATCH=etag)
    assert lane[-1] is True
    assert fast_304 == full_304 and fast_304[0] == "304 Not Modified" and fast_304[2] == b""

    lane.clear()
    other = path + ("&" if "?" in path else "?") + "x=1"
    assert wsgi.get(wsgi.served, other, AUTHORIZATION=auth)[0] == "200 OK"
    assert lane == [False], "unknown parameters take the full path"


def test_behind_the_proxy_the_security_headers_are_the_same_and_http_is_redirected(
    world: World, memo: None, lane: list[bool]
) -> None:
    production = {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_HSTS_SECONDS": 3600,
    }
    with override_settings(**production):
        wsgi = Wsgi()  # the middleware read these settings when built
        auth = factories.bearer(world.owner)
        wsgi.get(wsgi.served, URL, AUTHORIZATION=auth, X_FORWARDED_PROTO="https")
        fast = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth, X_FORWARDED_PROTO="https")
        full = wsgi.get(wsgi.django, URL, AUTHORIZATION=auth, X_FORWARDED_PROTO="https")
        assert lane[-1] is True and fast == full
        assert fast[1]["Strict-Transport-Security"] == "max-age=3600"
        plain = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)
        assert plain[0].startswith("301") and lane[-1] is False


def test_a_304_from_memory_reads_nothing_and_renders_nothing(
    world: World, wsgi: Wsgi, memo: None, lane: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from findash.dashboard import response_cache, selectors

    auth = factories.bearer(world.owner)
    etag = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)[1]["ETag"]
    touched: list[str] = []
    monkeypatch.setattr(response_cache, "cache_get_many", lambda keys: touched.append("cache"))
    monkeypatch.setattr(response_cache, "_render", lambda payload: touched.append("render"))
    monkeypatch.setattr(selectors, "dashboard_data_get", lambda **kw: touched.append("compute"))
    answer = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth, IF_NONE_MATCH=etag)
    assert answer[0] == "304 Not Modified" and lane[-1] is True
    assert touched == []


def test_nothing_stale_is_served_after_a_write(
    world: World, wsgi: Wsgi, memo: None, lane: list[bool]
) -> None:
    auth = factories.bearer(world.owner)
    account = factories.make_account(world.owner_personal)
    before = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)
    assert wsgi.get(wsgi.served, URL, AUTHORIZATION=auth) == before and lane[-1] is True

    body = {"account_id": account.pk, "date": date.today().isoformat(), "amount": "-12.34"}
    assert world.client(world.owner).post("/transactions", body).status_code == 201

    etag = before[1]["ETag"]
    after = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth, IF_NONE_MATCH=etag)
    assert lane[-1] is False, "the write emptied the memo: the full path computes"
    assert after[0] == "200 OK" and after[1]["ETag"] != etag
    assert b'"expenses":"12.34"' in after[2]
    assert wsgi.get(wsgi.served, URL, AUTHORIZATION=auth) == after and lane[-1] is True


def test_a_removed_member_is_refused_not_served_from_memory(
    world: World, wsgi: Wsgi, memo: None, lane: list[bool]
) -> None:
    headers = {"AUTHORIZATION": factories.bearer(world.member), "X_TENANT_ID": world.org.public_id}
    assert wsgi.get(wsgi.served, URL, **headers)[0] == "200 OK"
    assert wsgi.get(wsgi.served, URL, **headers)[0] == "200 OK" and lane[-1] is True
    Membership.objects.filter(user=world.member, tenant=world.org).delete()
    assert wsgi.get(wsgi.served, URL, **headers)[0] == "403 Forbidden"
    assert lane[-1] is False


def test_served_requests_are_counted_like_the_others(
    world: World, wsgi: Wsgi, memo: None, lane: list[bool]
) -> None:
    auth = factories.bearer(world.owner)
    labels = {"endpoint": URL, "tenant_type": "user", "status": "200"}
    wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)
    metric_batch.flush()
    before = metric("dashboard_requests_total", **labels)
    hits = metric("dashboard_cache_hits_total", cache_key_type="dashboard")
    for _ in range(3):
        wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)
    assert lane[-3:] == [True, True, True]
    metric_batch.flush()
    assert metric("dashboard_requests_total", **labels) == before + 3
    assert metric("dashboard_cache_hits_total", cache_key_type="dashboard") == hits + 3


def test_without_the_memo_the_full_path_answers(world: World, wsgi: Wsgi, lane: list[bool]) -> None:
    """locmem (the default): no pub/sub, so the lane answers nothing."""
    auth = factories.bearer(world.owner)
    first = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth)
    again = wsgi.get(wsgi.served, URL, AUTHORIZATION=auth, IF_NONE_MATCH=first[1]["ETag"])
    assert first[0] == "200 OK" and again[0] == "304 Not Modified"
    assert lane == [False, False]
