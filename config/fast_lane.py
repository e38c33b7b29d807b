"""The WSGI application's fast lane: warm dashboard reads served before Django's handler.

``findash.dashboard.fast_lane.warm_answer`` decides (only when every input is remembered
in-process, see there); this serves its answer with the headers the full path would send
(the response's own, then what ``XFrameOptionsMiddleware``, ``CommonMiddleware`` and
``SecurityMiddleware`` add, then ``X-Request-ID``: a template made once by running those
middleware on a real response, tests/dashboard/test_fast_lane.py compares the two), and
records what ``RequestObservabilityMiddleware`` would: the metrics, the cache hit, the
active tenant and the access log line. Anything else, or any error here, goes to Django.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import resolve

from findash.dashboard.fast_lane import WarmAnswer, warm_answer
from findash.dashboard.response_cache import body_response, not_modified_response
from findash.observability.activity import pending_flush, tenant_seen_later
from findash.observability.context import RequestInfo
from findash.observability.metric_batch import metric_batch
from findash.observability.metrics import DASHBOARD_CACHE_HITS
from findash.observability.middleware import request_id_from, request_observed

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
_STATUS = {200: "200 OK", 304: "304 Not Modified"}
_templates: dict[tuple[int, bool], list[tuple[str, str]]] = {}
_routes: dict[str, str] = {}


def _template(status: int, environ: dict[str, Any], secure: bool) -> list[tuple[str, str]]:
    """The full path's response headers for this status and scheme (ETag and
    Content-Length are placeholders)."""
    found = _templates.get((status, secure))
    if found is None:
        request = WSGIRequest({**environ, "wsgi.input": io.BytesIO(b"")})
        response: Any = body_response(b"", '""') if status == 200 else not_modified_response('""')

        def unused(_: Any) -> Any:
            return response

        for middleware in (XFrameOptionsMiddleware, CommonMiddleware, SecurityMiddleware):
            response = middleware(unused).process_response(request, response)
        found = _templates[(status, secure)] = list(response.items())
    return found


def _route(path: str) -> str:
    route = _routes.get(path)
    if route is None:
        match = resolve(path)
        route = _routes[path] = "/" + str(match.route).lstrip("^").rstrip("$")
    return route


_checked = threading.local()


def _connections_checked() -> None:
    """What Django does around every request (drop broken or too old database
    connections), at most once a second per thread: the lane may read the flags' version
    row, and a thread serving only the lane must not keep a broken connection."""
    now = time.monotonic()
    if now - getattr(_checked, "at", float("-inf")) >= 1.0:
        _checked.at = now
        close_old_connections()


class _Sent:
    """The body; ``close()`` (after the server sent it) writes the noted activity."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        pending_flush()


class FastLane:
    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        _connections_checked()
        try:
            answer = warm_answer(environ)
        except Exception:  # never worse than the full path
            logger.exception("fast lane failed; the full path answers")
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        return self._send(environ, start_response, answer, started)

    def _send(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        answer: WarmAnswer,
        started: float,
    ) -> Iterable[bytes]:
        status = 304 if answer.body is None else 200
        body = answer.body or b""
        info = RequestInfo(
            request_id=request_id_from(environ), dashboard_endpoint=answer.endpoint, cache_hit=True
        )
        headers = [
            (name, answer.etag)
            if name == "ETag"
            else (name, str(len(body)))
            if name == "Content-Length"
            else (name, value)
            for name, value in _template(status, environ, answer.secure)
        ]
        headers.append(("X-Request-ID", info.request_id))
        metric_batch.inc(DASHBOARD_CACHE_HITS.labels(cache_key_type=answer.endpoint))
        tenant_seen_later(answer.actor.tenant.pk)
        path = environ.get("SCRIPT_NAME", "") + environ["PATH_INFO"]
        request_observed(
            method="GET",
            path=path,
            route=_route(environ["PATH_INFO"]),
            status=status,
            duration=time.perf_counter() - started,
            tenant=answer.actor.tenant,
            info=info,
            size=len(body),
            batched=True,
        )
        start_response(_STATUS[status], headers)
        return _Sent(body)


def _settings_changed(**kwargs: Any) -> None:
    _templates.clear()


setting_changed.connect(_settings_changed)
