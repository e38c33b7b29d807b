"""Fixtures for the auth and tenant tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from findash.tenancy import ratelimit
from tests.conftest import ApiClient

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_login_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test counts login failures in its own keys, whatever cache backend runs."""
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"login-rate-test-{uuid.uuid4().hex}")
    yield


def login(client: ApiClient, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/auth/token", {"username": username, "password": password}, **extra)


def bearer_client(access_token: str, tenant_header: str | None = None) -> ApiClient:
    client = ApiClient()
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {access_token}"
    if tenant_header is not None:
        client.headers["HTTP_X_TENANT_ID"] = tenant_header
    return client
