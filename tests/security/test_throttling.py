"""The admin login and registration are limited like /auth/token, and refusals are counted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from tests import factories
from tests.conftest import ApiClient
from tests.security.conftest import metric


def _admin_login(client: Client, username: str, password: str, ip: str = "192.0.2.7") -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_the_admin_login_is_throttled_per_username(db: None) -> None:
    staff = factories.make_user("staffer")
    staff.is_staff = True
    staff.save()
    before = metric("auth_rate_limited_total", endpoint="admin_login")
    client = Client()
    answers = [_admin_login(client, "staffer", "wrong", ip=f"192.0.2.{n}") for n in range(15)]
    statuses = [a.status_code for a in answers]
    assert statuses[: settings.LOGIN_RATE_LIMIT] == [200] * settings.LOGIN_RATE_LIMIT
    assert set(statuses[settings.LOGIN_RATE_LIMIT :]) == {429}
    assert int(answers[-1]["Retry-After"]) >= 1
    # The right password is refused too until the window closes: guessing gains nothing.
    assert _admin_login(client, "staffer", "correct horse battery").status_code == 429
    after = metric("auth_rate_limited_total", endpoint="admin_login")
    assert after - before == 15 - settings.LOGIN_RATE_LIMIT + 1


def test_the_admin_login_is_throttled_per_address(db: None) -> None:
    client = Client()
    for n in range(settings.LOGIN_RATE_LIMIT):
        assert _admin_login(client, f"name{n}", "wrong").status_code == 200
    assert _admin_login(client, "someone-else", "wrong").status_code == 429


def test_admin_and_api_logins_share_one_budget(db: None) -> None:
    factories.make_user("shared")
    api = ApiClient()
    for _ in range(settings.LOGIN_RATE_LIMIT):
        api.post("/auth/token", {"username": "shared", "password": "wrong"})
    assert _admin_login(Client(), "shared", "wrong", ip="198.51.100.9").status_code == 429


def test_a_successful_admin_login_hands_its_attempt_back(db: None) -> None:
    staff = factories.make_user("boss")
    staff.is_staff = True
    staff.save()
    for _ in range(settings.LOGIN_RATE_LIMIT * 2):
        client = Client()
        response = _admin_login(client, "boss", "correct horse battery")
        assert response.status_code == 302


def test_registration_is_limited_per_address_and_counted(anon: ApiClient, db: None) -> None:
    before = metric("auth_rate_limited_total", endpoint="auth_register")
    statuses = [
        anon.post(
            "/auth/register", {"username": f"bot{n}", "password": "a long enough password"}
        ).status_code
        for n in range(settings.REGISTER_RATE_LIMIT + 2)
    ]
    assert statuses[: settings.REGISTER_RATE_LIMIT] == [201] * settings.REGISTER_RATE_LIMIT
    assert statuses[settings.REGISTER_RATE_LIMIT :] == [429, 429]
    assert metric("auth_rate_limited_total", endpoint="auth_register") - before == 2


def test_api_login_refusals_are_counted(anon: ApiClient, db: None) -> None:
    before = metric("auth_rate_limited_total", endpoint="auth_token")
    for _ in range(settings.LOGIN_RATE_LIMIT + 1):
        anon.post("/auth/token", {"username": "nobody", "password": "wrong"})
    assert metric("auth_rate_limited_total", endpoint="auth_token") - before == 1
