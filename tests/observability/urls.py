"""The project's URLs plus a fake dashboard endpoint that goes through dashboard_response."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from findash.common.errors import DomainError
from findash.dashboard.response_cache import dashboard_response
from findash.ledger.models import Transaction
from findash.tenancy.auth import TenantBearer

COMPUTED: list[int] = []  # tenant id per compute, so tests can tell hits from misses
DURING_COMPUTE: list[Callable[[], None]] = []  # run (once) while computing: races


def fake_dashboard(request: HttpRequest) -> HttpResponse:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    request.auth = TenantBearer().authenticate(request, token)  # type: ignore[attr-defined]

    def compute() -> dict[str, Any]:
        tenant = request.auth.tenant  # type: ignore[attr-defined]
        COMPUTED.append(tenant.pk)
        total = Transaction.objects.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        while DURING_COMPUTE:  # the data was read; now "another request" writes
            DURING_COMPUTE.pop()()
        return {
            "tenant_id": tenant.public_id,
            "total": str(Decimal(total).quantize(Decimal("0.01"))),
            "period": request.GET,
        }

    try:
        return dashboard_response(
            request, endpoint="fake", params=dict(request.GET.items()), compute=compute
        )
    except DomainError as exc:  # config/api.py maps these for real handlers
        return JsonResponse({"detail": exc.detail}, status=exc.status_code)


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("financial/dashboard/fake", fake_dashboard),
    path("financial/dashboard/boom", boom),
    *project_urlpatterns,
]
