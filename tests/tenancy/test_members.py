"""Adding a member is an invitation: nobody joins (or gets anything) before accepting."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import TestCase

from findash.tenancy.models import Invitation, Membership, Role
from tests import factories
from tests.conftest import World


def _add(world: World, caller: Any, username: str, role: str, tenant_id: str | None = None) -> Any:
    target = tenant_id or world.org.public_id
    return world.client(caller).post(
        f"/tenants/{target}/members", {"username": username, "role": role}
    )


def _accept(world: World, user: Any, invitation_id: int) -> Any:
    return world.client(user).post(f"/invitations/{invitation_id}/accept")


@pytest.fixture
def admin(world: World) -> Any:
    user = factories.make_user("admin")
    factories.add_member(world.org, user, Role.ADMIN)
    return user


@pytest.mark.parametrize("role", ["owner", "admin", "member", "viewer"])
def test_owner_invites_with_any_role_and_the_invitee_joins_on_accepting(
    world: World, role: str
) -> None:
    response = _add(world, world.owner, "outsider", role)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    # Not a member yet: the org is closed to them.
    assert world.client(world.outsider, world.org).get("/tenant/info").status_code == 403

    accepted = _accept(world, world.outsider, body["invitation_id"])

    assert accepted.status_code == 200
    assert accepted.json() == {
        "invitation_id": body["invitation_id"],
        "status": "accepted",
        "tenant_id": world.org.public_id,
        "role": role,
    }
    info = world.client(world.outsider, world.org).get("/tenant/info").json()
    assert info["role"] == role


def test_the_answer_is_the_same_whether_or_not_the_username_exists(world: World) -> None:
    real = _add(world, world.owner, "outsider", "member")
    ghost = _add(world, world.owner, "ghost-nobody", "member")
    assert real.status_code == ghost.status_code == 202
    assert set(real.json()) == set(ghost.json()) == {"invitation_id", "status"}
    assert real.json()["status"] == ghost.json()["status"] == "pending"


def test_the_invitee_lists_their_pending_invitations_and_others_see_none(world: World) -> None:
    invitation_id = _add(world, world.owner, "outsider", "viewer").json()["invitation_id"]

    listed = world.client(world.outsider).get("/invitations").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["id"] == invitation_id
    assert item["tenant_id"] == world.org.public_id
    assert item["tenant_name"] == "Acme"
    assert item["role"] == "viewer"
    assert item["invited_by"] == "owner"
    assert world.client(world.member).get("/invitations").json() == {"items": [], "count": 0}


def test_declining_leaves_the_invitee_outside(world: World) -> None:
    invitation_id = _add(world, world.owner, "outsider", "admin").json()["invitation_id"]

    declined = world.client(world.outsider).post(f"/invitations/{invitation_id}/decline")

    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()
    assert _accept(world, world.outsider, invitation_id).status_code == 404
    assert world.client(world.outsider).get("/invitations").json()["count"] == 0


def test_only_the_invitee_can_accept(world: World) -> None:
    invitation_id = _add(world, world.owner, "outsider", "owner").json()["invitation_id"]
    for intruder in (world.member, world.viewer, world.owner):
        assert _accept(world, intruder, invitation_id).status_code == 404
    assert Membership.objects.get(user=world.member, tenant=world.org).role == Role.MEMBER


def test_an_invitation_to_a_name_not_yet_taken_waits_for_whoever_registers_it(
    world: World,
) -> None:
    invitation_id = _add(world, world.owner, "newcomer", "member").json()["invitation_id"]
    newcomer = factories.make_user("newcomer")

    assert _accept(world, newcomer, invitation_id).status_code == 200
    assert Membership.objects.get(user=newcomer, tenant=world.org).role == Role.MEMBER


def test_an_inviter_who_lost_the_right_to_grant_cannot_bring_anyone_in(
    world: World, admin: Any
) -> None:
    invitation_id = _add(world, admin, "outsider", "admin").json()["invitation_id"]
    Membership.objects.filter(user=admin, tenant=world.org).update(role=Role.MEMBER)

    assert _accept(world, world.outsider, invitation_id).status_code == 404
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()


def test_the_invitee_gets_an_email_with_a_link(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_BASE_URL = "https://findash.example"
    world.outsider.email = "outsider@example.com"
    world.outsider.save()
    mail.outbox.clear()

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert _add(world, world.owner, "outsider", "member").status_code == 202

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["outsider@example.com"]
    assert "https://findash.example/app/invitations/" in message.body
    assert "Acme" in message.body and "Acme" not in message.subject


def test_inviting_again_updates_the_pending_invitation(world: World) -> None:
    first = _add(world, world.owner, "outsider", "viewer").json()["invitation_id"]
    second = _add(world, world.owner, "outsider", "admin").json()["invitation_id"]
    assert first == second
    assert Invitation.objects.get(pk=first).role == Role.ADMIN


@pytest.mark.parametrize("role", ["admin", "member", "viewer"])
def test_admin_invites_below_owner(world: World, admin: Any, role: str) -> None:
    assert _add(world, admin, "outsider", role).status_code == 202


def test_admin_cannot_invite_an_owner(world: World, admin: Any) -> None:
    response = _add(world, admin, "outsider", "owner")
    assert response.status_code == 403
    assert not Invitation.objects.filter(username="outsider").exists()


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_member_and_viewer_cannot_invite(world: World, who: str) -> None:
    response = _add(world, getattr(world, who), "outsider", "viewer")
    assert response.status_code == 403
    assert not Invitation.objects.filter(username="outsider").exists()


def test_outsider_cannot_even_see_the_org(world: World) -> None:
    response = _add(world, world.outsider, "outsider", "owner")
    assert response.status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("tenant_id", ["org_999999", "acme", "user_x"])
def test_unknown_tenant_is_404(world: World, tenant_id: str) -> None:
    assert _add(world, world.owner, "outsider", "member", tenant_id).status_code == 404


def test_accepting_as_an_existing_member_keeps_the_role(world: World) -> None:
    invitation_id = _add(world, world.owner, "viewer", "admin").json()["invitation_id"]
    assert _accept(world, world.viewer, invitation_id).status_code == 200
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
    """The owner of the org, acting in it, still cannot invite to the outsider's org."""
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
    assert response.status_code == (202 if allowed else 403)
    assert Invitation.objects.filter(tenant=org, username="outsider").exists() == allowed
    assert not Membership.objects.filter(tenant=org, user=world.outsider).exists()
