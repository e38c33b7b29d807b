"""/notifications/preferences: each member's own choices, defaults by role."""

from __future__ import annotations

from tests.conftest import World


def test_defaults_by_role(world: World) -> None:
    owner = world.client(world.owner, world.org).get("/notifications/preferences").json()
    assert owner["budget_alerts"] is True and owner["budget_alerts_default"] is True
    assert owner["monthly_summary"] is False
    member = world.client(world.member, world.org).get("/notifications/preferences").json()
    assert member["budget_alerts"] is False and member["budget_alerts_default"] is False


def test_a_member_changes_only_their_own_choices_in_that_tenant(world: World) -> None:
    member = world.client(world.member, world.org)
    answer = member.put("/notifications/preferences", {"budget_alerts": True})
    assert answer.status_code == 200 and answer.json()["budget_alerts"] is True
    patched = member.patch("/notifications/preferences", {"monthly_summary": True}).json()
    assert patched["budget_alerts"] is True and patched["monthly_summary"] is True
    other = world.client(world.owner, world.org).get("/notifications/preferences").json()
    assert other["monthly_summary"] is False
    personal = world.client(world.member).get("/notifications/preferences").json()
    assert personal["monthly_summary"] is False  # the member's own tenant is separate
    outsider = world.client(world.outsider, world.org)
    assert outsider.get("/notifications/preferences").status_code == 403


def test_bad_input_is_422_naming_the_field(world: World) -> None:
    member = world.client(world.member, world.org)
    for body, field in (({"budget_alerts": None}, "budget_alerts"), ({"sms": True}, "sms")):
        answer = member.put("/notifications/preferences", body)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"][-1] == field
    assert member.get("/notifications/preferences").json()["budget_alerts"] is False


def test_a_viewer_changes_their_own_choices_but_still_not_the_tenants_data(world: World) -> None:
    viewer = world.client(world.viewer, world.org)
    assert viewer.get("/notifications/preferences").json()["budget_alerts"] is False
    answer = viewer.patch("/notifications/preferences", {"budget_alerts": True})
    assert answer.status_code == 200 and answer.json()["budget_alerts"] is True
    assert viewer.get("/notifications/preferences").json()["budget_alerts"] is True
    refused = viewer.post("/categories", {"name": "Not mine", "kind": "expense"})
    assert refused.status_code == 403
    assert (
        world.client(world.owner, world.org)
        .get("/notifications/preferences")
        .json()["budget_alerts"]
    )  # the owner's own (default on) is untouched
