from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema

from findash.observability.exposition import metrics_exposition
from findash.observability.health import HEALTHY, dashboard_health

router = Router(tags=["operations"])


class VersionOut(Schema):
    release: str
    git_sha: str
    build_time: str
    environment: str


class LivenessOut(Schema):
    status: str


class ServiceHealthOut(Schema):
    status: str
    latency_ms: float
    error: str | None = None


class DashboardHealthOut(Schema):
    status: str
    timestamp: str
    services: dict[str, ServiceHealthOut]
    failing: list[str]
    degraded: list[str] = []


@router.get("/version", auth=None, response=VersionOut)
def version(request: object) -> dict[str, str]:
    return {
        "release": settings.RELEASE,
        "git_sha": settings.GIT_SHA,
        "build_time": settings.BUILD_TIME,
        "environment": settings.ENVIRONMENT_NAME,
    }


@router.get("/health", auth=None, response=LivenessOut)
def health(request: HttpRequest) -> dict[str, str]:
    """The process is up and can serve requests (no dependency is checked)."""
    return {"status": HEALTHY}


@router.get(
    "/health/dashboard", auth=None, response={200: DashboardHealthOut, 503: DashboardHealthOut}
)
def health_dashboard(request: HttpRequest) -> tuple[int, dict[str, object]]:
    """Database, cache and dashboard data checked, each with its latency; 503 names the failing."""
    report = dashboard_health()
    return (200 if report["status"] == HEALTHY else 503), report


def _client_allowed(request: HttpRequest) -> bool:
    networks = settings.METRICS_ALLOWED_NETWORKS
    if not networks:
        return True
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(net, strict=False) for net in networks)


@router.get("/metrics", auth=None, include_in_schema=False)
def metrics(request: HttpRequest) -> HttpResponse:
    if not _client_allowed(request):
        return JsonResponse({"detail": "metrics are limited to internal networks"}, status=403)
    body, content_type = metrics_exposition(settings.PROMETHEUS_MULTIPROC_DIR)
    return HttpResponse(body, content_type=content_type)
