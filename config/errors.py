"""Django's own 404 and 500 pages, as JSON outside the web app and the admin.

A URL that matches no route (``/imports/abc`` for a numeric id) never reaches the API's
handlers; API clients still get the API's error body, people get the HTML page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

_HTML_PREFIXES = ("/app/", "/admin/", "/static/")


def _wants_html(request: HttpRequest) -> bool:
    return request.path.startswith(_HTML_PREFIXES)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_html(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"detail": "not found"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_html(request):
        return defaults.server_error(request)
    return JsonResponse({"detail": "internal error; it has been reported"}, status=500)
