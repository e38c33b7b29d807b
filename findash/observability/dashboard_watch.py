"""What observability records of each answered dashboard request (sent by the dashboard's
response cache as ``dashboard_answered``): cache hits and misses, the active tenant, and
the endpoint and hit for the access log line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from findash.observability.activity import tenant_seen_later
from findash.observability.context import request_info
from findash.observability.metrics import DASHBOARD_CACHE_HITS, DASHBOARD_CACHE_MISSES


def dashboard_answered_receiver(
    sender: object,
    *,
    request: HttpRequest,
    tenant_id: int,
    endpoint: str,
    hit: bool | None,
    **kwargs: Any,
) -> None:
    tenant_seen_later(tenant_id)  # written when the request finishes, after the response
    if hit is not None:
        counter = DASHBOARD_CACHE_HITS if hit else DASHBOARD_CACHE_MISSES
        counter.labels(cache_key_type=endpoint).inc()
    info = request_info(request)
    if info is not None:
        info.dashboard_endpoint = endpoint
        info.cache_hit = hit
