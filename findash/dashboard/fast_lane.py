"""Warm dashboard reads answered before URL resolving and django-ninja.

A ``GET /financial/dashboard*`` whose every input this process already holds — the
bearer token's actor (``actor_memo``), the flag decision (the flag memo), the tenant's
data version and the answer itself (``version_memo`` and ``response_memo``, kept exact by
Redis pub/sub) — is answered here with the very bytes, ETag and headers the full path
would send (tests/dashboard/test_fast_lane.py compares them). Anything else — no token in
the memo, other query parameters, a repeated one, the flag off, the memo not usable, no
remembered answer — goes down the usual path, which also fills the memos. So this lane
decides nothing of its own: it only skips work whose outcome is already known.

It sits right after ``SecurityMiddleware`` (its redirect and headers still apply) and adds
what the middleware it skips would add: ``X-Frame-Options`` and ``Content-Length``; the
``Host`` check is made as ``CommonMiddleware`` would.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import ResolverMatch, resolve
from django.utils import timezone

from findash.dashboard.response_cache import (
    answered,
    body_response,
    dashboard_cache_key,
    etag_matches,
    not_modified_response,
    remembered_answer,
)
from findash.flags.evaluation import flag_enabled
from findash.tenancy.actor import Actor
from findash.tenancy.actor_memo import actor_memo

ROUTES = {
    "/financial/dashboard": "dashboard",
    "/financial/dashboard/summary": "summary",
    "/financial/dashboard/accounts": "accounts",
    "/financial/dashboard/transactions": "transactions",
    "/financial/dashboard/budgets": "budgets",
}
_PARAMS = ("start", "end", "period")  # PeriodQuery's fields, all optional strings


def _bearer(request: HttpRequest) -> str | None:
    """The token as ninja's ``HttpBearer`` reads it."""
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    parts = header.split(" ")
    if parts[0].lower() != "bearer":
        return None
    return " ".join(parts[1:])


def _params(query: QueryDict) -> dict[str, object] | None:
    """start/end/period as the full path would pass them; None for anything else."""
    params: dict[str, object] = dict.fromkeys(_PARAMS)
    for name, values in query.lists():
        if name not in params or len(values) != 1:
            return None
        params[name] = values[0]
    return params


class DashboardFastLane:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._matches: dict[str, ResolverMatch] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            endpoint = ROUTES.get(request.path_info)
            if endpoint is not None:
                response = self._answer(request, endpoint)
                if response is not None:
                    return response
        return self.get_response(request)

    def _answer(self, request: HttpRequest, endpoint: str) -> HttpResponse | None:
        if not settings.DASHBOARD_CACHE_ENABLED:
            return None
        token = _bearer(request)
        if not token:
            return None
        actor = actor_memo.get(token, request.META.get("HTTP_X_TENANT_ID") or "")
        params = _params(request.GET)
        if not isinstance(actor, Actor) or params is None:
            return None
        if not flag_enabled("dashboard", tenant=actor.tenant):
            return None
        key = dashboard_cache_key(
            tenant_id=actor.tenant.pk, endpoint=endpoint, params=params, today=timezone.localdate()
        )
        found = remembered_answer(tenant_id=actor.tenant.pk, key=key)
        if found is None:
            return None
        request.get_host()  # DisallowedHost (400) as CommonMiddleware would raise it
        body, etag = found
        request.auth = actor  # type: ignore[attr-defined]  # what TenantBearer sets
        request.user = actor.user
        request.resolver_match = self._match(request.path_info)
        answered(request, actor.tenant.pk, endpoint, hit=True)
        if etag_matches(etag, request.META.get("HTTP_IF_NONE_MATCH", "")):
            response = not_modified_response(etag)
        else:
            response = body_response(body, etag)
        response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        response["Content-Length"] = str(len(response.content))
        return response

    def _match(self, path: str) -> ResolverMatch:
        """The route the full path would resolve (metrics and the access log name it)."""
        match = self._matches.get(path)
        if match is None:
            match = self._matches[path] = resolve(path)
        return match
