"""The web pages: a login page, the dashboard shell, and the per-tenant panel.

The pages themselves carry no data; the browser holds the API's JWT (sessionStorage)
and calls the JSON API. The panel is rendered here, for the bearer and X-Tenant-ID the
browser sends, so that the feature-flag state decides the markup on the server; it also
carries the dashboard's answer for the page's period (GET /financial/dashboard's body and
ETag), so the figures are on screen after one request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from findash.common.errors import DomainError, Unauthorized, error_headers
from findash.dashboard.periods import PERIOD_NAMES
from findash.tenancy.auth import actor_resolve
from findash.tenancy.scoping import tenant_scope
from findash.web.selectors import dashboard_panel_get

# Tokens live in sessionStorage, so scripts are only ever our own files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "object-src 'none'"
)
PERIOD_LABELS = {
    "current_month": "This month",
    "last_month": "Last month",
    "last_30_days": "Last 30 days",
    "last_90_days": "Last 90 days",
    "year_to_date": "Year to date",
    "last_year": "Last year",
    "last_12_months": "Last 12 months",
}

# The app's sections, in menu order: (url name, label), shown by web/nav.html. A new page
# adds one row here and one path in urls.py; a list-and-form page over an API resource
# also a resource in static/web/records-resources.js (RECORD_SECTIONS).
RECORD_SECTIONS = ("transactions", "accounts", "categories", "budgets")
SECTIONS = [
    ("dashboard", "Dashboard"),
    ("transactions", "Transactions"),
    ("accounts", "Accounts"),
    ("categories", "Categories"),
    ("budgets", "Budgets"),
    ("import", "Import / export"),
]


# The dashboard page's scripts, in load order: dashboard.html loads them and the login
# page prefetches them, so the page after signing in starts from the browser's cache.
DASHBOARD_SCRIPTS = [
    f"web/{name}.js"
    for name in (
        "ui",
        "shell",
        "charts",
        "dashboard-period",
        "dashboard-view",
        "dashboard-charts",
        "dashboard",
    )
]


def nav_context(section: str) -> dict[str, object]:
    """What web/nav.html needs: the sections and the current one."""
    return {"sections": SECTIONS, "section": section}


View = Callable[[HttpRequest], HttpResponse]


def _web_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        response = view(request)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response["Cache-Control"] = "no-store"
        return response

    return require_safe(wrapper)


def strict_csp(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The web pages' Content-Security-Policy on another view (the API docs: only own files)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return wrapper


@_web_page
def login_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/login.html", {"dashboard_scripts": DASHBOARD_SCRIPTS})


@_web_page
def invitations_page(request: HttpRequest) -> HttpResponse:
    """Pending invitations to accept or decline (the data comes from GET /invitations)."""
    return render(request, "web/invitations.html", nav_context("invitations"))


@_web_page
def dashboard_page(request: HttpRequest) -> HttpResponse:
    periods = [(name, PERIOD_LABELS.get(name, name.replace("_", " "))) for name in PERIOD_NAMES]
    return render(
        request,
        "web/dashboard.html",
        {"periods": periods, "dashboard_scripts": DASHBOARD_SCRIPTS, **nav_context("dashboard")},
    )


def _records_page(section: str) -> View:
    title = dict(SECTIONS)[section]

    @_web_page
    def page(request: HttpRequest) -> HttpResponse:
        context = {**nav_context(section), "title": title}
        return render(request, "web/records.html", context)

    page.__name__ = f"{section}_page"
    return page


transactions_page = _records_page("transactions")
accounts_page = _records_page("accounts")
categories_page = _records_page("categories")
budgets_page = _records_page("budgets")


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing or malformed bearer token")
    return token.strip()


@_web_page
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    try:
        actor = actor_resolve(request, _bearer(request))
    except DomainError as exc:  # answered as the API would: same status and headers
        return JsonResponse(
            {"detail": exc.detail}, status=exc.status_code, headers=error_headers(exc)
        )
    # The page's period, as it would ask GET /financial/dashboard: the panel brings that answer.
    period_params = {name: request.GET.get(name) for name in ("start", "end", "period")}
    with tenant_scope(actor.tenant):  # this view is an edge: it enters the scope, as auth does
        panel = dashboard_panel_get(actor=actor, period_params=period_params)
    response = render(request, "web/panel.html", {"panel": panel})
    response["Vary"] = "Authorization, X-Tenant-ID"
    return response
