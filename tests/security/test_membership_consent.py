"""Nobody joins a tenant, or receives its emails, without accepting an invitation."""

from __future__ import annotations

from typing import Any

import pytest

from findash.notifications.preferences import alert_recipients, summary_recipients
from findash.tenancy import services as tenancy_services
from findash.tenancy.models import Membership, Role
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World


def _invite(world: World, username: str, role: str = "owner") -> Any:
    return world.client(world.owner).post(
        f"/tenants/{world.org.public_id}/members", {"username": username, "role": role}
    )


def test_adding_someone_as_owner_does_not_make_them_a_member(world: World) -> None:
    assert _invite(world, "outsider").status_code == 202
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()
    assert world.client(world.outsider, world.org).get("/accounts").status_code == 403
    tenants = world.client(world.outsider).get("/tenants").json()["items"]
    assert world.org.public_id not in {t["tenant_id"] for t in tenants}


def test_alert_emails_never_reach_an_invitee_who_has_not_accepted(world: World) -> None:
    world.owner.email = "owner@example.com"
    world.owner.save()
    world.outsider.email = "victim@example.com"
    world.outsider.save()
    invitation_id = _invite(world, "outsider").json()["invitation_id"]

    with tenant_scope(world.org):
        assert world.outsider not in alert_recipients(tenant=world.org)
        assert world.outsider not in summary_recipients(tenant=world.org)

    accepted = world.client(world.outsider).post(f"/invitations/{invitation_id}/accept")
    assert accepted.status_code == 200
    assert Membership.objects.get(user=world.outsider, tenant=world.org).role == Role.OWNER
    with tenant_scope(world.org):
        assert world.outsider in alert_recipients(tenant=world.org)


def test_the_answer_does_not_reveal_whether_a_username_exists(world: World) -> None:
    existing = _invite(world, "outsider", "viewer")
    missing = _invite(world, "no-such-user-anywhere", "viewer")
    inactive_user = factories.make_user("sleeper")
    inactive_user.is_active = False
    inactive_user.save()
    inactive = _invite(world, "sleeper", "viewer")
    answers = [existing, missing, inactive]
    assert {r.status_code for r in answers} == {202}
    assert {tuple(sorted(r.json())) for r in answers} == {("invitation_id", "status")}


def test_pending_invitations_per_tenant_are_capped(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tenancy_services, "MAX_PENDING_INVITATIONS", 3)
    assert [_invite(world, f"name{n}").status_code for n in range(3)] == [202] * 3
    refused = _invite(world, "one-too-many")
    assert refused.status_code == 409
    assert "pending invitations" in refused.json()["detail"]
    assert _invite(world, "name0", "viewer").status_code == 202  # re-inviting is not a new one
