"""What the access log and metrics learn about a request while it is handled."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass
class RequestInfo:
    request_id: str
    dashboard_endpoint: str | None = None
    cache_hit: bool | None = None


def request_info(request: HttpRequest) -> RequestInfo | None:
    info = getattr(request, "observability", None)
    return info if isinstance(info, RequestInfo) else None


UNMATCHED_ROUTE = "<unmatched>"


def request_route(request: HttpRequest) -> str:
    """The URL pattern that matched ("/transactions/<int:transaction_id>"), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return UNMATCHED_ROUTE
    return "/" + match.route.lstrip("^").rstrip("$")
