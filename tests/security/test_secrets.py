"""Strict secrets: production refuses a weak JWT_SECRET; revoked sessions end at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import TestCase, override_settings

from config.settings.cache import cache_config
from findash.common import safe_cache
from tests import factories
from tests.conftest import ApiClient, World

ROOT = Path(__file__).resolve().parents[2]
LONG_SECRET_KEY = "k" * 64
PASSWORD = "correct horse battery"


def _production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"JWT_SECRET", "SECRET_KEY", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.django.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "jwt_secret",
    [
        "x",
        "31-bytes-is-one-byte-too-short!",
        "insecure-development-secret-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz",
    ],
)
def test_production_refuses_a_weak_jwt_secret(jwt_secret: str) -> None:
    result = _production_settings(SECRET_KEY=LONG_SECRET_KEY, JWT_SECRET=jwt_secret)
    assert result.returncode != 0
    assert "JWT_SECRET must be at least 32 bytes" in result.stderr


def test_production_starts_with_a_strong_jwt_secret() -> None:
    result = _production_settings(SECRET_KEY=LONG_SECRET_KEY, JWT_SECRET="j" * 32)
    assert result.returncode == 0, result.stderr


def _login(username: str) -> dict[str, Any]:
    response = ApiClient().post("/auth/token", {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return dict(response.json())


def _reads(pair: dict[str, Any]) -> int:
    client = ApiClient()
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {pair['access_token']}"
    return int(client.get("/tenant/info").status_code)


def _refresh(refresh_token: str) -> Any:
    return ApiClient().post("/auth/refresh", {"refresh_token": refresh_token})


def test_reusing_a_refresh_token_ends_its_familys_access_tokens_at_once(world: World) -> None:
    first = _login("owner")
    second = _refresh(first["refresh_token"]).json()
    assert _reads(second) == 200

    assert _refresh(first["refresh_token"]).status_code == 401  # reuse: the family is revoked

    assert _reads(second) == 401
    assert _reads(first) == 401
    assert _reads(_login("owner")) == 200  # a new login is a new family


def test_logout_ends_the_session_and_only_that_session(world: World) -> None:
    phone, laptop = _login("owner"), _login("owner")
    assert (
        ApiClient().post("/auth/logout", {"refresh_token": phone["refresh_token"]}).status_code
        == 204
    )
    assert _reads(phone) == 401
    assert _refresh(phone["refresh_token"]).status_code == 401
    assert _reads(laptop) == 200


def test_logout_with_a_forged_token_is_a_401(anon: ApiClient, db: None) -> None:
    assert anon.post("/auth/logout", {"refresh_token": "not-a-token"}).status_code == 401


def test_a_password_change_ends_every_session(world: World) -> None:
    phone, laptop = _login("owner"), _login("owner")
    client = ApiClient()
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {laptop['access_token']}"
    wrong = client.post(
        "/auth/password", {"current_password": "guess", "new_password": "a new long passphrase"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "current_password"]

    changed = client.post(
        "/auth/password", {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    )

    assert changed.status_code == 204
    assert _reads(phone) == _reads(laptop) == 401
    assert _refresh(phone["refresh_token"]).status_code == 401
    relogin = ApiClient().post(
        "/auth/token", {"username": "owner", "password": "a new long passphrase"}
    )
    assert relogin.status_code == 200


def test_a_personal_api_token_cannot_change_the_password(world: World) -> None:
    created = world.client(world.owner).post(
        "/auth/api-tokens", {"name": "ci", "scope": "read_write"}
    )
    client = ApiClient()
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {created.json()['token']}"
    response = client.post(
        "/auth/password", {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    )
    assert response.status_code == 403


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


def test_with_the_cache_down_a_revoked_token_is_still_refused(
    world: World, closed_port: int
) -> None:
    revoked, live = _login("owner"), _login("owner")
    ApiClient().post("/auth/logout", {"refresh_token": revoked["refresh_token"]})
    down = {"default": cache_config(f"redis://127.0.0.1:{closed_port}/0")}
    with override_settings(CACHES=down):
        safe_cache.cache_bypass_reset()
        try:
            assert _reads(revoked) == 401  # the database says so when the cache cannot
            assert _reads(live) == 200
        finally:
            safe_cache.cache_bypass_reset()


def test_the_bearer_used_by_factories_still_works(world: World) -> None:
    client = ApiClient()
    client.headers["HTTP_AUTHORIZATION"] = factories.bearer(world.owner)
    assert client.get("/tenant/info").status_code == 200


def test_a_password_set_anywhere_else_ends_every_session_too(world: World) -> None:
    session = _login("owner")
    with TestCase.captureOnCommitCallbacks(execute=True):
        world.owner.set_password("set by an operator in the admin")
        world.owner.save()
    assert _reads(session) == 401


def test_saving_a_user_without_a_new_password_keeps_the_sessions(world: World) -> None:
    session = _login("owner")
    with TestCase.captureOnCommitCallbacks(execute=True):
        world.owner.email = "owner@example.com"
        world.owner.save()
    assert _reads(session) == 200
