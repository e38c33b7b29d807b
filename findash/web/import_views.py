"""The import and export page (/app/import/). Like the dashboard, it carries no data: the
browser calls POST /imports (preview, then commit) and GET /exports/* with its bearer token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from findash.web.views import _web_page, nav_context


@_web_page
def import_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/imports.html", nav_context("import"))
