"""GET /financial/net-worth: the net worth series behind the web app's chart."""
# No "from __future__ import annotations": ninja reads these signatures at runtime.

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from findash.dashboard.response_cache import dashboard_response
from findash.dashboard.trends.schemas import NetWorthSeries
from findash.dashboard.trends.selectors import net_worth_series_get
from findash.tenancy.auth import request_actor

router = Router(tags=["dashboard"])

MAX_MONTHS = 120


class NetWorthQuery(Schema):
    end: date | None = None
    months: int = Field(12, ge=1, le=MAX_MONTHS)


@router.get(
    "/financial/net-worth",
    response=NetWorthSeries,
    description=(
        "Net worth in the tenant's base currency at the end of each of `months` calendar "
        f"months (1 to {MAX_MONTHS}, default 12) up to `end` (default today); the last point is "
        "dated `end` itself and equals the dashboard summary's `net_worth` for a period ending "
        "that day. Cached and ETag'd like the dashboard; 404 when the dashboard flag is off."
    ),
)
def net_worth(request: HttpRequest, query: Query[NetWorthQuery]) -> HttpResponse:
    tenant = request_actor(request).tenant
    end = query.end or timezone.localdate()
    return dashboard_response(
        request,
        endpoint="net-worth",
        # A missing end means "today": the cache key then carries today's date.
        params={"end": query.end, "months": query.months},
        compute=lambda: net_worth_series_get(tenant=tenant, end=end, months=query.months),
    )
