"""Sessions, CSRF, login and messages run for the admin and the web pages only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import World


def test_the_admin_gets_every_middleware_its_checks_ask_for() -> None:
    """admin.E408-E410 are silenced because these run through BROWSER_MIDDLEWARE."""
    for needed in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ):
        assert needed in settings.BROWSER_MIDDLEWARE
        assert needed not in settings.MIDDLEWARE
    assert "/admin/" in settings.BROWSER_PATH_PREFIXES


def test_an_admin_signs_in_with_a_session_and_a_csrf_token(db: None) -> None:
    User.objects.create_superuser("root", "root@example.com", "a long admin password")
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/admin/login/")
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value
    refused = browser.post("/admin/login/", {"username": "root", "password": "x"})
    assert refused.status_code == 403, "CSRF is enforced on the admin"
    signed_in = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "a long admin password", "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302
    assert "sessionid" in signed_in.cookies
    assert browser.get("/admin/").status_code == 200


def test_the_api_sets_no_cookie_and_varies_on_none(world: World) -> None:
    response = world.client(world.owner).get("/tenant/info")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert not hasattr(response.wsgi_request, "session")
