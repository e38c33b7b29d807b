"""A read's actor is remembered per process, yet revocation and role changes still bite."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from findash.tenancy.actor_memo import AUTH_VERSION_KEY
from findash.tenancy.models import Membership, Role
from findash.tenancy.versioning import shared_version_bump
from tests import factories
from tests.conftest import ApiClient, World


def _queries(client: ApiClient, path: str, **extra: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path, **extra).status_code
    return status, len(captured)


def _another_process_announces_a_change() -> None:
    """What a write in another worker looks like here: the shared auth version moves
    (the rows were changed with ``update()``, which sends no signal in this process)."""
    shared_version_bump(AUTH_VERSION_KEY)


def test_a_repeated_read_asks_the_database_nothing_about_the_caller(world: World) -> None:
    client = world.client(world.member, world.org)
    first_status, first_queries = _queries(client, "/tenant/info")
    again_status, again_queries = _queries(client, "/tenant/info")
    assert first_status == again_status == 200
    assert first_queries >= 2, "the first read resolves user and membership"
    assert again_queries == first_queries - 2


def test_a_removed_member_is_refused_on_the_next_read(world: World) -> None:
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").status_code == 200
    Membership.objects.filter(user=world.member, tenant=world.org).delete()
    response = client.get("/tenant/info")
    assert response.status_code == 403
    assert world.org.public_id in response.json()["detail"]


def test_a_role_change_shows_on_the_next_request(world: World) -> None:
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").json()["role"] == Role.MEMBER
    membership = Membership.objects.get(user=world.member, tenant=world.org)
    membership.role = Role.VIEWER
    membership.save()
    assert client.get("/tenant/info").json()["role"] == Role.VIEWER
    write = client.post("/accounts", {"name": "x", "type": "cash", "currency": "USD"})
    assert write.status_code == 403


def test_writes_never_use_the_memo(world: World) -> None:
    """Even a change that reached no process yet is enforced on a write."""
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").status_code == 200
    Membership.objects.filter(user=world.member, tenant=world.org).update(role=Role.VIEWER)
    write = client.post("/accounts", {"name": "x", "type": "cash", "currency": "USD"})
    assert write.status_code == 403


def test_a_deactivated_user_is_refused_on_the_next_read(world: World) -> None:
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").status_code == 200
    world.member.is_active = False
    world.member.save()
    assert client.get("/tenant/info").status_code == 401


def test_another_processs_change_arrives_within_the_version_check_interval(
    world: World, settings: Any
) -> None:
    settings.AUTH_VERSION_CHECK_SECONDS = 0.2
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").status_code == 200
    Membership.objects.filter(user=world.member, tenant=world.org).update(role=Role.VIEWER)
    _another_process_announces_a_change()
    time.sleep(0.25)
    assert client.get("/tenant/info").json()["role"] == Role.VIEWER


def test_a_change_nobody_announced_is_bounded_by_the_memo_ttl(world: World, settings: Any) -> None:
    """A change made while the cache was unreachable moves no version: the TTL bounds it."""
    settings.AUTH_MEMO_SECONDS = 0.3
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").json()["role"] == Role.MEMBER
    Membership.objects.filter(user=world.member, tenant=world.org).update(role=Role.VIEWER)
    assert client.get("/tenant/info").json()["role"] == Role.MEMBER, "remembered"
    time.sleep(0.35)
    assert client.get("/tenant/info").json()["role"] == Role.VIEWER


def test_an_access_token_expires_even_while_remembered(world: World, settings: Any) -> None:
    settings.JWT_ACCESS_TTL = timedelta(seconds=1)
    client = world.client(world.member, world.org)
    assert client.get("/tenant/info").status_code == 200
    time.sleep(1.1)
    response = client.get("/tenant/info")
    assert response.status_code == 401


def test_without_a_cache_to_hold_the_version_every_read_asks_the_database(
    world: World, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = world.client(world.member, world.org)
    _, first = _queries(client, "/tenant/info")
    _, again = _queries(client, "/tenant/info")
    assert again == first


@pytest.mark.parametrize("header", ["", "org"])
def test_the_memo_keeps_tenants_apart(world: World, header: str) -> None:
    """The same token names different tenants with and without X-Tenant-ID."""
    user: User = world.owner
    client = ApiClient(user)
    if header:
        client.headers["HTTP_X_TENANT_ID"] = world.org.public_id
    expected = world.org if header else world.owner_personal
    for _ in range(2):
        assert client.get("/tenant/info").json()["tenant_id"] == expected.public_id
    outsider = ApiClient(world.outsider)
    outsider.headers["HTTP_X_TENANT_ID"] = world.org.public_id
    for _ in range(2):
        assert outsider.get("/tenant/info").status_code == 403
    assert factories.personal_tenant(user) == world.owner_personal


def test_an_answer_read_before_a_change_is_not_remembered_after_it(world: World) -> None:
    """A request read the membership, then a revocation committed, then it stores."""
    from findash.tenancy.actor_memo import actor_memo, auth_changed
    from findash.tenancy.auth import Actor

    stamp = actor_memo.stamp()
    assert stamp is not None
    stale = Actor(world.member, world.org, Role.MEMBER)
    auth_changed()  # the revocation, in this or another process
    actor_memo.put("token", "", stale, None, stamp=stamp)
    assert actor_memo.get("token", "") is None
    actor_memo.put("token", "", stale, None, stamp=actor_memo.stamp())
    assert actor_memo.get("token", "") is stale
