from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    # The spec serves docs at /docs and /openapi.json; /api/* are aliases for them.
    path("api/docs", RedirectView.as_view(url="/docs", permanent=False)),
    path("api/openapi.json", RedirectView.as_view(url="/openapi.json", permanent=False)),
    path("", api.urls),
]
