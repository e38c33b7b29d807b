from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from findash.flags.models import Flag, FlagAudit
from tests import factories
from tests.conftest import ApiClient, World


@pytest.fixture
def staff(db: None) -> ApiClient:
    user = factories.make_user("operator")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return ApiClient(user)


def test_staff_list_every_registered_flag_with_its_defaults(staff: ApiClient) -> None:
    response = staff.get("/admin/flags")
    assert response.status_code == 200
    assert response.json() == [
        {
            "key": "dashboard",
            "description": "The /financial/dashboard* endpoints and the dashboard page.",
            "enabled": True,
            "rollout": 100,
            "group_id": "dashboard",
            "allow": [],
            "deny": [],
            "source": "default",
            "updated_at": None,
            "updated_by": "",
        }
    ]


def test_staff_patch_a_flag_and_read_back_its_audit(staff: ApiClient) -> None:
    response = staff.patch("/admin/flags/dashboard", {"rollout": 25, "deny": ["org_9"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["rollout"], body["deny"], body["source"]) == (25, ["org_9"], "database")
    assert body["updated_by"] == "api:operator"
    assert body["audit"][0]["old"]["rollout"] == 100
    assert body["audit"][0]["new"]["rollout"] == 25
    again = staff.get("/admin/flags/dashboard").json()
    assert again["rollout"] == 25
    assert len(again["audit"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rollout": 150}, "rollout"),
        ({"rollout": -5}, "rollout"),
        ({"rollout": 2.5}, "rollout"),
        ({"rollout": "25"}, "rollout"),
        ({"enabled": "off"}, "enabled"),
        ({"allow": ["acme"]}, "allow"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_changes(
    staff: ApiClient, body: dict[str, object], field: str
) -> None:
    response = staff.patch("/admin/flags/dashboard", body)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]
    assert not Flag.objects.exists()
    assert not FlagAudit.objects.exists()


def test_an_unknown_flag_is_404(staff: ApiClient) -> None:
    assert staff.get("/admin/flags/nope").status_code == 404
    response = staff.patch("/admin/flags/nope", {"enabled": False})
    assert response.status_code == 404
    assert "unknown flag 'nope'" in response.json()["detail"]


def test_tenant_owners_who_are_not_staff_get_403(world: World) -> None:
    owner = world.client(world.owner, world.org)
    assert owner.get("/admin/flags").status_code == 403
    assert owner.get("/admin/flags/dashboard").status_code == 403
    response = owner.patch("/admin/flags/dashboard", {"enabled": False})
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_anonymous_callers_get_401(anon: ApiClient) -> None:
    assert anon.get("/admin/flags").status_code == 401
