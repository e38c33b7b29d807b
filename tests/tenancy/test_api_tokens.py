from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from findash.tenancy.models import ApiToken, Membership
from findash.tenancy.tokens import api_token_hash
from tests import factories
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import bearer_client


def _create(client: ApiClient, **fields: Any) -> Any:
    return client.post("/auth/api-tokens", {"name": "widget", "scope": "read", **fields})


def _stored(token_id: int) -> ApiToken:
    return ApiToken.objects.unscoped().get(pk=token_id)


def test_create_shows_the_secret_once_and_stores_only_its_hash(world: World) -> None:
    response = _create(world.client(world.owner, world.org), scope="read_write")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "widget"
    assert body["scope"] == "read_write"
    assert body["token"].startswith(body["prefix"])
    stored = _stored(body["id"])
    assert stored.tenant == world.org
    assert stored.user == world.owner
    assert stored.token_hash == api_token_hash(body["token"])
    assert body["token"] not in {stored.token_hash, stored.prefix}

    listed = world.client(world.owner, world.org).get("/auth/api-tokens").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == body["id"]
    assert "token" not in listed["items"][0]
    assert body["token"] not in str(listed)


def test_token_acts_for_its_tenant(world: World) -> None:
    secret = _create(world.client(world.member, world.org)).json()["token"]

    info = bearer_client(secret).get("/tenant/info")

    assert info.status_code == 200
    assert info.json()["tenant_id"] == world.org.public_id
    assert info.json()["role"] == "member"
    assert bearer_client(secret, world.org.public_id).get("/tenant/info").status_code == 200
    # It cannot be pointed at another tenant of the same user.
    personal = factories.personal_tenant(world.member).public_id
    assert bearer_client(secret, personal).get("/tenant/info").status_code == 403


def test_read_token_is_403_on_writes(world: World) -> None:
    secret = _create(world.client(world.owner, world.org), scope="read").json()["token"]
    client = bearer_client(secret)

    assert client.get("/tenants").status_code == 200
    response = client.post("/tenants", {"name": "X", "base_currency": "USD"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    preferences = client.patch("/notifications/preferences", {"budget_alerts": False})
    assert preferences.status_code == 403  # not even the owner's own settings


def test_read_write_token_cannot_manage_accounts_or_tokens(world: World) -> None:
    secret = _create(world.client(world.owner, world.org), scope="read_write").json()["token"]
    client = bearer_client(secret)

    assert client.post("/tenants", {"name": "X", "base_currency": "USD"}).status_code == 403
    assert _create(client).status_code == 403
    assert client.get("/auth/api-tokens").status_code == 403
    member = client.post(
        f"/tenants/{world.org.public_id}/members", {"username": "outsider", "role": "member"}
    )
    assert member.status_code == 403


def test_token_sees_only_its_tenant_in_the_tenant_list(world: World) -> None:
    secret = _create(world.client(world.owner, world.org)).json()["token"]
    body = bearer_client(secret).get("/tenants").json()
    assert [t["tenant_id"] for t in body["items"]] == [world.org.public_id]
    assert body["count"] == 1


def test_revoke_makes_the_token_401_and_drops_it_from_the_list(world: World) -> None:
    owner = world.client(world.owner, world.org)
    created = _create(owner).json()

    assert owner.delete(f"/auth/api-tokens/{created['id']}").status_code == 204

    assert bearer_client(created["token"]).get("/tenant/info").status_code == 401
    assert owner.get("/auth/api-tokens").json() == {"items": [], "count": 0}
    assert _stored(created["id"]).revoked_at is not None
    assert owner.delete(f"/auth/api-tokens/{created['id']}").status_code == 404


def test_expired_token_is_401(world: World) -> None:
    created = _create(
        world.client(world.owner), expires_at=(timezone.now() + timedelta(hours=1)).isoformat()
    ).json()
    assert bearer_client(created["token"]).get("/tenant/info").status_code == 200
    ApiToken.objects.unscoped().filter(pk=created["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = bearer_client(created["token"]).get("/tenant/info")
    assert response.status_code == 401
    assert response.json() == {"detail": "API token has expired"}


@pytest.mark.parametrize("when", ["2000-01-01T00:00:00Z", "2000-01-01T00:00:00"])
def test_expiry_in_the_past_is_422(world: World, when: str) -> None:
    response = _create(world.client(world.owner), expires_at=when)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "expires_at"
    assert not ApiToken.objects.unscoped().exists()


def test_naive_expiry_is_read_as_utc(world: World) -> None:
    future = (timezone.now() + timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    body = _create(world.client(world.owner), expires_at=future.isoformat()).json()
    assert _stored(body["id"]).expires_at == future.replace(tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scope": "admin"}, "scope"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"expires_at": "tomorrow"}, "expires_at"),
        ({"secret": "mine"}, "secret"),
    ],
)
def test_bad_token_input_names_the_field(world: World, fields: dict[str, Any], field: str) -> None:
    response = _create(world.client(world.owner), **fields)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["detail"]]
    assert not ApiToken.objects.unscoped().exists()


def test_viewer_cannot_create_tokens(world: World) -> None:
    assert _create(world.client(world.viewer, world.org)).status_code == 403
    assert not ApiToken.objects.unscoped().exists()


def test_tokens_are_per_tenant_and_per_user(world: World) -> None:
    in_org = _create(world.client(world.owner, world.org), name="org").json()
    personal = _create(world.client(world.owner), name="personal").json()
    _create(world.client(world.member, world.org), name="members")

    org_list = world.client(world.owner, world.org).get("/auth/api-tokens").json()
    personal_list = world.client(world.owner).get("/auth/api-tokens").json()

    assert [t["id"] for t in org_list["items"]] == [in_org["id"]]
    assert [t["id"] for t in personal_list["items"]] == [personal["id"]]


def test_outsider_sees_and_revokes_nothing(world: World) -> None:
    created = _create(world.client(world.owner, world.org)).json()
    outsider = world.client(world.outsider)

    assert outsider.get("/auth/api-tokens").json() == {"items": [], "count": 0}
    assert outsider.delete(f"/auth/api-tokens/{created['id']}").status_code == 404
    assert world.client(world.outsider, world.org).get("/auth/api-tokens").status_code == 403
    # Nor can another member of the same org revoke the owner's token.
    assert (
        world.client(world.member, world.org)
        .delete(f"/auth/api-tokens/{created['id']}")
        .status_code
        == 404
    )
    assert bearer_client(created["token"]).get("/tenant/info").status_code == 200


def test_token_of_a_user_removed_from_the_tenant_is_403(world: World) -> None:
    secret = _create(world.client(world.member, world.org)).json()["token"]
    Membership.objects.filter(user=world.member, tenant=world.org).delete()
    assert bearer_client(secret).get("/tenant/info").status_code == 403


def test_unknown_api_token_is_401(world: World) -> None:
    assert bearer_client("fd_" + "x" * 43).get("/tenant/info").status_code == 401


def test_delete_with_non_numeric_id_is_422(world: World) -> None:
    assert world.client(world.owner).delete("/auth/api-tokens/abc").status_code == 422


def test_use_is_recorded_as_last_used_at(world: World) -> None:
    created = _create(world.client(world.owner, world.org)).json()
    assert created["last_used_at"] is None

    bearer_client(created["token"]).get("/tenant/info")

    listed = world.client(world.owner, world.org).get("/auth/api-tokens").json()
    assert listed["items"][0]["last_used_at"] is not None
