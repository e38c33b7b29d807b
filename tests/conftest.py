"""Shared fixtures. Every endpoint test gets an owner, a member, a viewer and an outsider."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from findash.tenancy.models import Role, Tenant
from tests import factories
from tests.schedule import heavy_first, not_measured, sqlite_pass_only
from tests.services import reachable


def pytest_sessionstart(session: pytest.Session) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and not reachable("127.0.0.1", 5432):
        message = "PostgreSQL is not reachable at 127.0.0.1:5432"
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"{message} (CI=true: a missing service is a failure)")
        print(f"\nSKIP: {message}; the PostgreSQL run is skipped")


@pytest.hookimpl(trylast=True)  # after pytest-django has put the database tests first
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    sqlite_pass_only(items)  # what uses no database runs once (tests/schedule.py)
    not_measured(items)  # coverage pauses for the property tests' hundreds of examples
    # The long tests start first, so both xdist workers end together (tests/schedule.py).
    # Only with --dist loadgroup, which hands out one test at a time: the default --dist
    # load would give the first worker the whole front of the list in one chunk. (Workers
    # collect; xdist tells them the mode as option.loadgroup, their option.dist is "no".)
    if config.getoption("loadgroup", False):
        heavy_first(items)


class ApiClient:
    """JSON in, JSON out, with a bearer token and optional X-Tenant-ID."""

    def __init__(self, user: User | None = None, tenant: Tenant | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = factories.bearer(user)
        if tenant is not None:
            self.headers["HTTP_X_TENANT_ID"] = tenant.public_id

    def _send(self, method: str, path: str, body: Any = None, **extra: str) -> Any:
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, **extra: str) -> Any:
        return self._send("get", path, **extra)

    def post(self, path: str, body: Any = None, **extra: str) -> Any:
        return self._send("post", path, body, **extra)

    def patch(self, path: str, body: Any = None, **extra: str) -> Any:
        return self._send("patch", path, body, **extra)

    def put(self, path: str, body: Any = None, **extra: str) -> Any:
        return self._send("put", path, body, **extra)

    def delete(self, path: str, **extra: str) -> Any:
        return self._send("delete", path, **extra)


@dataclass
class World:
    """An organization with an owner, a member and a viewer; plus an outsider."""

    owner: User
    member: User
    viewer: User
    outsider: User
    org: Tenant
    owner_personal: Tenant
    outsider_personal: Tenant

    def client(self, user: User, tenant: Tenant | None = None) -> ApiClient:
        return ApiClient(user, tenant)


@pytest.fixture
def world(db: None) -> World:
    owner = factories.make_user("owner")
    member = factories.make_user("member")
    viewer = factories.make_user("viewer")
    outsider = factories.make_user("outsider")
    org = factories.make_org(owner, "Acme")
    factories.add_member(org, member, Role.MEMBER)
    factories.add_member(org, viewer, Role.VIEWER)
    return World(
        owner=owner,
        member=member,
        viewer=viewer,
        outsider=outsider,
        org=org,
        owner_personal=factories.personal_tenant(owner),
        outsider_personal=factories.personal_tenant(outsider),
    )


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient()


@pytest.fixture(autouse=True)
def _fresh_flag_snapshot() -> None:
    """Each test sees its own database's flags, not the previous test's cached snapshot
    (nor its payee bounds or last day: a test counting queries must not find them kept)."""
    from findash.dashboard.last_day import last_day_forget
    from findash.dashboard.payees import payee_bounds_forget
    from findash.flags.store import flag_store
    from findash.tenancy.actor_memo import actor_memo

    flag_store.reset()
    actor_memo.forget()
    payee_bounds_forget()
    last_day_forget()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The database rolls back after each test but the cache does not: tenant ids are reused
    (SQLite), so a previous test's cached dashboard or data version must not leak in.
    Only a per-process cache is cleared; a shared Redis would be flushed for every worker."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
