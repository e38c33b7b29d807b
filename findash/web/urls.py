"""The server-rendered web app, mounted under /app/ (see config/urls.py)."""

from __future__ import annotations

from django.urls import path

from findash.web import import_views, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("login/", views.login_page, name="login"),
    path("panel/", views.dashboard_panel, name="panel"),
    path("invitations/", views.invitations_page, name="invitations"),
    path("import/", import_views.import_page, name="import"),
]
