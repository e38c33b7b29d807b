"""The tenancy admin: every tenant visible to staff, credentials never exposed or minted."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from findash.tenancy.models import ApiToken, Membership, RefreshToken, Tenant
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import login


def _staff_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-pw-pw-pw"))
    return client


def _api_token(world: World) -> tuple[ApiToken, str]:
    body = (
        world.client(world.owner, world.org)
        .post("/auth/api-tokens", {"name": "grafana", "scope": "read"})
        .json()
    )
    return ApiToken.objects.unscoped().get(pk=body["id"]), body["token"]


def test_tenant_changelist_and_change_form(world: World) -> None:
    staff = _staff_client()
    page = staff.get("/admin/tenancy/tenant/").content.decode()
    assert world.org.public_id in page and world.outsider_personal.public_id in page

    change = staff.get(f"/admin/tenancy/tenant/{world.org.pk}/change/")
    assert change.status_code == 200
    assert "viewer" in change.content.decode()  # members inline, with roles


def test_deleting_a_tenant_takes_its_memberships_along(world: World) -> None:
    staff = _staff_client()
    confirm = staff.get(f"/admin/tenancy/tenant/{world.org.pk}/delete/")
    assert confirm.status_code == 200
    assert "viewer" in confirm.content.decode()  # the memberships that go with it

    staff.post(f"/admin/tenancy/tenant/{world.org.pk}/delete/", {"post": "yes"})

    assert not Tenant.objects.filter(pk=world.org.pk).exists()
    assert not Membership.objects.filter(tenant_id=world.org.pk).exists()
    assert Tenant.objects.filter(pk=world.outsider_personal.pk).exists()


def test_membership_changelist_shows_tenant_and_role(world: World) -> None:
    page = _staff_client().get("/admin/tenancy/membership/").content.decode()
    assert "outsider" in page and "viewer" in page and "Acme" in page


def test_api_token_admin_shows_tenant_but_never_the_secret_or_hash(world: World) -> None:
    token, secret = _api_token(world)
    staff = _staff_client()

    listing = staff.get("/admin/tenancy/apitoken/").content.decode()
    change = staff.get(f"/admin/tenancy/apitoken/{token.pk}/change/").content.decode()

    assert "grafana" in listing and world.org.public_id in listing
    for page in (listing, change):
        assert token.token_hash not in page
        assert secret not in page
    assert 'name="token_hash"' not in change
    assert staff.get("/admin/tenancy/apitoken/add/").status_code == 403


def test_api_token_revoke_action(world: World) -> None:
    token, secret = _api_token(world)
    response = _staff_client().post(
        "/admin/tenancy/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client = world.client(world.owner)
    client.headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert client.get("/tenant/info").status_code == 401


def test_refresh_tokens_are_read_only_but_revocable(world: World, anon: ApiClient) -> None:
    refresh = login(anon, "outsider").json()["refresh_token"]
    record = RefreshToken.objects.get(user=world.outsider)
    staff = _staff_client()

    assert record.jti in staff.get("/admin/tenancy/refreshtoken/").content.decode()
    assert staff.get("/admin/tenancy/refreshtoken/add/").status_code == 403
    view = staff.get(f"/admin/tenancy/refreshtoken/{record.pk}/change/")
    assert view.status_code == 200
    assert 'name="jti"' not in view.content.decode()  # shown, not editable

    staff.post(
        "/admin/tenancy/refreshtoken/",
        {"action": "revoke_selected", "_selected_action": [record.pk]},
    )
    assert anon.post("/auth/refresh", {"refresh_token": refresh}).status_code == 401


def test_staff_see_invitations_but_cannot_create_or_accept_them(world: World) -> None:
    world.client(world.owner).post(
        f"/tenants/{world.org.public_id}/members", {"username": "outsider", "role": "admin"}
    )
    staff = _staff_client()
    page = staff.get("/admin/tenancy/invitation/")
    assert page.status_code == 200
    assert "outsider" in page.content.decode()
    assert staff.get("/admin/tenancy/invitation/add/").status_code == 403
    assert not Membership.objects.filter(user=world.outsider, tenant=world.org).exists()
