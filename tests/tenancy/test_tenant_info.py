from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.conftest import World


def test_info_defaults_to_the_personal_tenant(world: World) -> None:
    response = world.client(world.owner).get("/tenant/info")

    assert response.status_code == 200
    assert response.json() == {
        "tenant_id": world.owner_personal.public_id,
        "tenant_type": "user",
        "name": "owner",
        "base_currency": "USD",
        "role": "owner",
    }


@pytest.mark.parametrize(
    ("who", "role"), [("owner", "owner"), ("member", "member"), ("viewer", "viewer")]
)
def test_x_tenant_id_picks_the_organization_with_the_callers_role(
    world: World, who: str, role: str
) -> None:
    response = world.client(getattr(world, who), world.org).get("/tenant/info")

    assert response.status_code == 200
    body = response.json()
    assert body["tenant_id"] == world.org.public_id
    assert body["tenant_type"] == "organization"
    assert body["name"] == "Acme"
    assert body["role"] == role


def test_outsider_naming_the_org_is_403(world: World) -> None:
    response = world.client(world.outsider, world.org).get("/tenant/info")
    assert response.status_code == 403
    assert "Acme" not in response.content.decode()


def test_naming_someone_elses_personal_tenant_is_403(world: World) -> None:
    response = world.client(world.owner, world.outsider_personal).get("/tenant/info")
    assert response.status_code == 403


@pytest.mark.parametrize("header", ["org_999999", "user_abc", "acme", "org_", "1"])
def test_unknown_or_malformed_tenant_header_is_403(world: World, header: str) -> None:
    response = world.client(world.owner).get("/tenant/info", HTTP_X_TENANT_ID=header)
    assert response.status_code == 403


def test_org_id_with_the_wrong_prefix_is_not_the_org(world: World) -> None:
    disguised = f"user_{world.org.pk}"
    response = world.client(world.owner).get("/tenant/info", HTTP_X_TENANT_ID=disguised)
    assert response.status_code == 403


def test_user_without_a_personal_tenant_must_name_one(world: World) -> None:
    staff = User.objects.create_user("staff-only", password="correct horse battery")
    factories.add_member(world.org, staff, "member")

    assert world.client(staff).get("/tenant/info").status_code == 403
    assert world.client(staff, world.org).get("/tenant/info").json()["role"] == "member"
