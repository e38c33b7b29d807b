from __future__ import annotations

from findash.tenancy.models import Membership, Role, Tenant
from tests import factories
from tests.conftest import ApiClient, World


def test_create_organization_makes_the_caller_owner(world: World) -> None:
    response = world.client(world.outsider).post(
        "/tenants", {"name": "  Side Project  ", "base_currency": "EUR"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["tenant_id"].startswith("org_")
    assert body == {
        "tenant_id": body["tenant_id"],
        "tenant_type": "organization",
        "name": "Side Project",
        "base_currency": "EUR",
        "role": "owner",
    }
    tenant = Tenant.objects.get(name="Side Project")
    assert tenant.public_id == body["tenant_id"]
    assert Membership.objects.get(tenant=tenant).user == world.outsider
    assert Membership.objects.get(tenant=tenant).role == Role.OWNER
    # The new org is usable at once, and still invisible to the org's owner.
    info = world.client(world.outsider, tenant).get("/tenant/info")
    assert info.json()["role"] == "owner"
    assert world.client(world.owner, tenant).get("/tenant/info").status_code == 403


def test_bad_tenant_input_names_the_field_and_writes_nothing(world: World) -> None:
    client = world.client(world.owner)
    before = Tenant.objects.count()
    cases = [
        ({"name": "X", "base_currency": "EURO"}, "base_currency"),
        ({"name": "X"}, "base_currency"),
        ({"name": "", "base_currency": "EUR"}, "name"),
        ({"name": "   ", "base_currency": "EUR"}, "name"),
        ({"name": "x" * 201, "base_currency": "EUR"}, "name"),
        ({"name": "X", "base_currency": "EUR", "tenant_type": "user"}, "tenant_type"),
    ]
    for body, field in cases:
        response = client.post("/tenants", body)
        assert response.status_code == 422, body
        assert field in [e["loc"][-1] for e in response.json()["detail"]], body
    assert Tenant.objects.count() == before


def test_list_shows_only_the_callers_tenants_with_roles(world: World) -> None:
    body = world.client(world.owner).get("/tenants").json()

    assert body["count"] == 2
    assert [(t["tenant_id"], t["role"]) for t in body["items"]] == [
        (world.owner_personal.public_id, "owner"),
        (world.org.public_id, "owner"),
    ]

    viewer = world.client(world.viewer).get("/tenants").json()
    assert {t["tenant_id"]: t["role"] for t in viewer["items"]}[world.org.public_id] == "viewer"

    outsider = world.client(world.outsider).get("/tenants").json()
    assert outsider == {
        "items": [
            {
                "tenant_id": world.outsider_personal.public_id,
                "tenant_type": "user",
                "name": "outsider",
                "base_currency": "USD",
                "role": "owner",
            }
        ],
        "count": 1,
    }


def test_list_is_paginated(world: World) -> None:
    for number in range(3):
        factories.add_member(
            factories.make_org(world.outsider, f"Other {number}"), world.owner, Role.MEMBER
        )
    client = world.client(world.owner)

    page = client.get("/tenants?limit=2&offset=3").json()

    assert page["count"] == 5
    assert [t["name"] for t in page["items"]] == ["Other 1", "Other 2"]
    assert client.get("/tenants?limit=501").status_code == 422
    assert client.get("/tenants?limit=0").status_code == 422
    assert client.get("/tenants?offset=-1").status_code == 422


def test_viewer_acting_as_the_org_cannot_create_tenants(world: World) -> None:
    response = world.client(world.viewer, world.org).post(
        "/tenants", {"name": "Nope", "base_currency": "USD"}
    )
    assert response.status_code == 403
    assert not Tenant.objects.filter(name="Nope").exists()


def test_anonymous_cannot_list_or_create(world: World, anon: ApiClient) -> None:
    assert anon.get("/tenants").status_code == 401
    assert anon.post("/tenants", {"name": "X", "base_currency": "USD"}).status_code == 401
