from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from findash.tenancy.admin_login import admin_login

urlpatterns = [
    path("", RedirectView.as_view(url="/app/", permanent=False)),
    # The web pages first, under /app/ (no API path starts with it).
    path("app/", include("findash.web.urls")),
    # The API first: the Django admin's catch-all would otherwise swallow /admin/flags.
    path("", api.urls),
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    # The spec serves docs at /docs and /openapi.json; /api/* are aliases for them.
    path("api/docs", RedirectView.as_view(url="/docs", permanent=False)),
    path("api/openapi.json", RedirectView.as_view(url="/openapi.json", permanent=False)),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
