from __future__ import annotations

from typing import Any

import pytest

from findash.tenancy.models import Membership, Role
from tests import factories
from tests.conftest import World


def _add(world: World, caller: Any, username: str, role: str, tenant_id: str | None = None) -> Any:
    target = tenant_id or world.org.public_id
    return world.client(caller).post(
        f"/tenants/{target}/members", {"username": username, "role": role}
    )


@pytest.fixture
def admin(world: World) -> Any:
    user = factories.make_user("admin")
    factories.add_member(world.org, user, Role.ADMIN)
    return user


@pytest.mark.parametrize("role", ["owner", "admin", "member", "viewer"])
def test_owner_adds_a_member_with_any_role(world: World, role: str) -> None:
    response = _add(world, world.owner, "outsider", role)

    assert response.status_code == 201
    assert response.json() == {
        "tenant_id": world.org.public_id,
        "user_id": world.outsider.pk,
        "username": "outsider",
        "role": role,
    }
    # The new member now acts in the org with that role.
    info = world.client(world.outsider, world.org).get("/tenant/info").json()
    assert info["role"] == role


@pytest.mark.parametrize("role", ["admin", "member", "viewer"])
def test_admin_adds_members_below_owner(world: World, admin: Any, role: str) -> None:
    assert _add(world, admin, "outsider", role).status_code == 201


def test_admin_cannot_create_an_owner(world: World, admin: Any) -> None:
    response = _add(world, admin, "outsider", "owner")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_member_and_viewer_cannot_add(world: World, who: str) -> None:
    response = _add(world, getattr(world, who), "outsider", "viewer")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()


def test_outsider_cannot_even_see_the_org(world: World) -> None:
    response = _add(world, world.outsider, "outsider", "owner")
    assert response.status_code == 404
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()


@pytest.mark.parametrize("tenant_id", ["org_999999", "acme", "user_x"])
def test_unknown_tenant_is_404(world: World, tenant_id: str) -> None:
    assert _add(world, world.owner, "outsider", "member", tenant_id).status_code == 404


def test_unknown_username_is_422_naming_username(world: World) -> None:
    response = _add(world, world.owner, "ghost", "member")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "username"


def test_inactive_user_cannot_be_added(world: World) -> None:
    world.outsider.is_active = False
    world.outsider.save()
    assert _add(world, world.owner, "outsider", "member").status_code == 422


def test_adding_an_existing_member_is_a_conflict(world: World) -> None:
    response = _add(world, world.owner, "viewer", "admin")
    assert response.status_code == 409
    # The existing membership is not changed by the attempt.
    assert Membership.objects.get(user=world.viewer, tenant=world.org).role == Role.VIEWER


@pytest.mark.parametrize("role", ["superuser", "OWNER", ""])
def test_unknown_role_is_422_naming_role(world: World, role: str) -> None:
    response = _add(world, world.owner, "outsider", role)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "role"


def test_personal_tenants_take_no_other_members(world: World) -> None:
    response = _add(world, world.owner, "outsider", "member", world.owner_personal.public_id)
    assert response.status_code == 403
    assert Membership.objects.filter(tenant=world.owner_personal).count() == 1


def test_viewer_acting_in_the_org_is_refused_by_role(world: World) -> None:
    response = world.client(world.viewer, world.org).post(
        f"/tenants/{world.org.public_id}/members", {"username": "outsider", "role": "viewer"}
    )
    assert response.status_code == 403


def test_acting_tenant_header_does_not_grant_rights_elsewhere(world: World) -> None:
    """The owner of the org, acting in it, still cannot add to the outsider's org."""
    other = factories.make_org(world.outsider, "Outsider Inc")
    response = world.client(world.owner, world.org).post(
        f"/tenants/{other.public_id}/members", {"username": "member", "role": "admin"}
    )
    assert response.status_code == 404


_MAY_GRANT = {
    "owner": {"owner", "admin", "member", "viewer"},
    "admin": {"admin", "member", "viewer"},
    "member": set(),
    "viewer": set(),
}


@pytest.mark.parametrize("caller_role", list(_MAY_GRANT))
@pytest.mark.parametrize("granted", ["owner", "admin", "member", "viewer"])
def test_every_role_pair_follows_the_grant_table(
    world: World, caller_role: str, granted: str
) -> None:
    caller = factories.make_user(f"caller-{caller_role}")
    org = factories.make_org(world.owner, "Matrix")
    factories.add_member(org, caller, caller_role)

    response = _add(world, caller, "outsider", granted, org.public_id)

    allowed = granted in _MAY_GRANT[caller_role]
    assert response.status_code == (201 if allowed else 403)
    assert Membership.objects.filter(tenant=org, user=world.outsider).exists() == allowed
