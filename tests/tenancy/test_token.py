from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings

from findash.tenancy import ratelimit
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import bearer_client, login


def test_login_answers_a_token_pair(world: World, anon: ApiClient) -> None:
    response = login(anon, "owner")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == int(settings.JWT_ACCESS_TTL.total_seconds())
    assert body["access_token"] != body["refresh_token"]
    me = bearer_client(body["access_token"]).get("/tenant/info")
    assert me.json()["tenant_id"] == world.owner_personal.public_id


def test_access_token_lifetime_follows_settings(
    world: World, anon: ApiClient, settings: Any
) -> None:
    from datetime import timedelta

    settings.JWT_ACCESS_TTL = timedelta(minutes=5)
    assert login(anon, "owner").json()["expires_in"] == 300


@pytest.mark.parametrize(
    ("username", "password"),
    [("owner", "wrong password"), ("nobody", "correct horse battery"), ("OWNER", None)],
)
def test_bad_credentials_are_401(
    world: World, anon: ApiClient, username: str, password: str | None
) -> None:
    response = login(anon, username) if password is None else login(anon, username, password)
    assert response.status_code == 401
    assert response.json() == {"detail": "invalid username or password"}


def test_inactive_user_cannot_log_in(world: World, anon: ApiClient) -> None:
    world.outsider.is_active = False
    world.outsider.save()
    assert login(anon, "outsider").status_code == 401


def test_login_with_unknown_field_is_422(world: World, anon: ApiClient) -> None:
    response = anon.post("/auth/token", {"username": "owner", "password": "x", "tenant": "org_1"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "tenant"


def test_failed_logins_per_username_are_limited(world: World, anon: ApiClient) -> None:
    for attempt in range(settings.LOGIN_RATE_LIMIT):
        # A new address each time: only the per-username limit can trip.
        response = login(anon, "owner", "wrong", REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert response.status_code == 401

    blocked = login(anon, "owner", REMOTE_ADDR="10.0.1.1")  # even the right password

    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= settings.LOGIN_RATE_WINDOW_SECONDS
    assert "detail" in blocked.json()
    # Another user is not affected by the owner's lock.
    assert login(anon, "member", REMOTE_ADDR="10.0.1.1").status_code == 200


def test_failed_logins_per_address_are_limited(world: World, anon: ApiClient) -> None:
    for attempt in range(settings.LOGIN_RATE_LIMIT):
        response = login(anon, f"nobody{attempt}", "wrong", REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 401

    assert login(anon, "outsider", REMOTE_ADDR="192.0.2.7").status_code == 429
    assert login(anon, "outsider", REMOTE_ADDR="192.0.2.8").status_code == 200


def test_successful_logins_do_not_count(world: World, anon: ApiClient) -> None:
    for _ in range(settings.LOGIN_RATE_LIMIT + 1):
        assert login(anon, "owner").status_code == 200


def test_retry_after_is_the_time_left_in_the_window(
    world: World, anon: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = 1_800_000_000.0
    clock = SimpleNamespace(time=lambda: start)
    monkeypatch.setattr(ratelimit, "time", clock)
    for _ in range(settings.LOGIN_RATE_LIMIT):
        login(anon, "viewer", "wrong")

    clock.time = lambda: start + 100
    blocked = login(anon, "viewer")

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) == settings.LOGIN_RATE_WINDOW_SECONDS - 100


def test_cache_outage_never_turns_login_into_an_error(
    world: World, anon: ApiClient, settings: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        }
    }
    for _ in range(settings.LOGIN_RATE_LIMIT + 1):
        assert login(anon, "owner", "wrong").status_code == 401
    assert login(anon, "owner").status_code == 200


def test_login_records_last_login(world: World, anon: ApiClient) -> None:
    assert world.owner.last_login is None
    login(anon, "owner")
    world.owner.refresh_from_db()
    assert world.owner.last_login is not None
