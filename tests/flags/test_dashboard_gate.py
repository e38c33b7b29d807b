"""The dashboard gate end to end: the flag decides, per acting tenant, on every path."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError

from findash.flags import store as store_module
from findash.flags.services import flag_update
from tests import factories
from tests.conftest import ApiClient, World
from tests.flags.murmur import expected_bucket

PATHS = [
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
]
DISABLED = {"detail": "feature 'dashboard' is disabled"}


def _statuses(client: ApiClient) -> list[int]:
    return [client.get(path).status_code for path in PATHS]


def test_every_dashboard_path_answers_404_while_the_flag_is_off(world: World) -> None:
    owner = world.client(world.owner, world.org)
    assert _statuses(owner) == [200] * len(PATHS)
    flag_update(key="dashboard", enabled=False, actor="test")
    for path in PATHS:
        response = owner.get(path)
        assert (response.status_code, response.json()) == (404, DISABLED), path
    flag_update(key="dashboard", enabled=True, actor="test")
    assert _statuses(owner) == [200] * len(PATHS)


def test_the_gate_follows_the_acting_tenant_not_the_user(world: World) -> None:
    flag_update(key="dashboard", deny=[world.org.public_id], actor="test")
    in_org = world.client(world.owner, world.org)
    personal = world.client(world.owner, world.owner_personal)
    assert in_org.get("/financial/dashboard/summary").json() == DISABLED
    assert personal.get("/financial/dashboard/summary").status_code == 200


def test_a_partial_rollout_serves_exactly_the_tenants_whose_bucket_fits(db: None) -> None:
    users = [factories.make_user() for _ in range(12)]
    flag_update(key="dashboard", rollout=50, actor="test")
    for user in users:
        tenant_id = factories.personal_tenant(user).public_id
        expected = 200 if expected_bucket("dashboard", tenant_id) <= 50 else 404
        assert ApiClient(user).get("/financial/dashboard/summary").status_code == expected


def test_the_allow_list_serves_a_tenant_at_zero_percent(world: World) -> None:
    flag_update(key="dashboard", rollout=0, allow=[world.org.public_id], actor="test")
    assert world.client(world.member, world.org).get("/financial/dashboard").status_code == 200
    personal = world.client(world.member)
    assert personal.get("/financial/dashboard").json() == DISABLED


def test_an_unreachable_flag_store_never_fails_the_request(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    flag_update(key="dashboard", enabled=False, actor="test")
    settings.FLAGS_REFRESH_SECONDS = 0

    def unreachable() -> str:
        raise DatabaseError("flag store down")

    monkeypatch.setattr(store_module, "version_token_read", unreachable)
    # The registry default (on, 100 %) answers instead of an error.
    response = world.client(world.owner, world.org).get("/financial/dashboard/summary")
    assert response.status_code == 200
