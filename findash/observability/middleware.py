from __future__ import annotations

import itertools
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse

from findash.observability.access_log import access_line
from findash.observability.context import RequestInfo, request_route
from findash.observability.metric_batch import metric_batch
from findash.observability.metrics import (
    DASHBOARD_DURATION,
    DASHBOARD_ERRORS,
    DASHBOARD_REQUESTS,
    HTTP_DURATION,
    HTTP_REQUESTS,
)
from findash.tenancy.auth import Actor
from findash.tenancy.models import Tenant

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_DASHBOARD_ROUTE = "/financial/dashboard"


# Made-up ids: a random per-process prefix and a counter, as unique as uuid4 (32 hex
# characters) without reading the OS's random source on every request.
_ID_PREFIX = secrets.token_hex(8)
_ID_COUNTER = itertools.count()


def _request_id(request: HttpRequest) -> str:
    return request_id_from(request.META)


def request_id_from(environ: dict[str, Any]) -> str:
    """The caller's X-Request-ID when it is sane, else a new one."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    if incoming and _REQUEST_ID.match(incoming):
        return str(incoming)
    return f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"


def _response_size(response: HttpResponse) -> int:
    if getattr(response, "streaming", False):
        return int(response.get("Content-Length") or 0)
    return len(response.content)


def _inc_now(child: Any) -> None:
    child.inc()


def _observe_now(child: Any, value: float) -> None:
    child.observe(value)


_NOW = (_inc_now, _observe_now)
_NOTED = (metric_batch.inc, metric_batch.observe)


class RequestObservabilityMiddleware:
    """Per-request metrics, the X-Request-ID, and the structured access log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        info = RequestInfo(request_id=_request_id(request))
        request.observability = info  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=info.request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        duration = time.perf_counter() - started
        response["X-Request-ID"] = info.request_id
        self._observe(request, response, info, duration)
        return response

    def _observe(
        self, request: HttpRequest, response: HttpResponse, info: RequestInfo, duration: float
    ) -> None:
        actor = getattr(request, "auth", None)
        request_observed(
            method=request.method or "GET",
            path=request.path,
            route=request_route(request),
            status=response.status_code,
            duration=duration,
            tenant=actor.tenant if isinstance(actor, Actor) else None,
            info=info,
            size=_response_size(response),
        )


def request_observed(
    *,
    method: str,
    path: str,
    route: str,
    status: int,
    duration: float,
    tenant: Tenant | None,
    info: RequestInfo,
    size: int,
    batched: bool = False,
) -> None:
    """The metrics and the access log line of one answered request; ``batched``: the
    metrics are written off the request path (``metric_batch``)."""
    status_text = str(status)
    inc, observe = _NOTED if batched else _NOW
    if route != "/metrics":  # scrapes would drown out real traffic
        inc(HTTP_REQUESTS.labels(method=method, route=route, status=status_text))
        observe(HTTP_DURATION.labels(method=method, route=route, status=status_text), duration)
    tenant_type = tenant.tenant_type if tenant is not None else "anonymous"
    is_dashboard = info.dashboard_endpoint is not None or route.startswith(_DASHBOARD_ROUTE)
    endpoint = route if is_dashboard else None
    if endpoint is not None:
        inc(
            DASHBOARD_REQUESTS.labels(
                endpoint=endpoint, tenant_type=tenant_type, status=status_text
            )
        )
        observe(DASHBOARD_DURATION.labels(endpoint=endpoint, tenant_type=tenant_type), duration)
        errors = DASHBOARD_ERRORS.labels(endpoint=endpoint, tenant_type=tenant_type)
        if status >= 500:  # the series exists (at 0) before the first error
            inc(errors)
    access_line(
        error=status >= 500,
        service="dashboard" if endpoint is not None else "api",
        request_id=info.request_id,
        method=method,
        path=path,
        endpoint=endpoint or route,
        status=status,
        duration_ms=round(duration * 1000, 2),
        tenant_type=tenant_type,
        tenant_id=tenant.public_id if tenant is not None else None,
        cache_hit=info.cache_hit,
        response_size=size,
    )
