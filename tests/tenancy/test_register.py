from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from config.django import base
from findash.tenancy import services
from findash.tenancy.models import Membership, Role, Tenant
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import PASSWORD, login


def _register(anon: ApiClient, **fields: Any) -> Any:
    return anon.post("/auth/register", {"username": "newbie", "password": PASSWORD, **fields})


def _field_errors(response: Any) -> list[str]:
    return [error["loc"][-1] for error in response.json()["detail"]]


def test_register_creates_user_and_personal_tenant(anon: ApiClient, db: None) -> None:
    response = _register(anon, email="newbie@example.com", base_currency="EUR")

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="newbie")
    tenant = Tenant.objects.get(memberships__user=user)
    assert body == {"user_id": user.pk, "username": "newbie", "tenant_id": tenant.public_id}
    assert body["tenant_id"].startswith("user_")
    assert tenant.tenant_type == Tenant.Type.USER
    assert tenant.base_currency == "EUR"
    assert Membership.objects.get(user=user).role == Role.OWNER
    assert user.email == "newbie@example.com"
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD


def test_registered_user_can_log_in_and_sees_their_tenant(anon: ApiClient, db: None) -> None:
    tenant_id = _register(anon).json()["tenant_id"]
    access = login(anon, "newbie").json()["access_token"]

    info = ApiClient()
    info.headers["HTTP_AUTHORIZATION"] = f"Bearer {access}"
    body = info.get("/tenant/info").json()

    assert body == {
        "tenant_id": tenant_id,
        "tenant_type": "user",
        "name": "newbie",
        "base_currency": "USD",
        "role": "owner",
    }


def test_duplicate_username_is_a_conflict_case_insensitively(world: World, anon: ApiClient) -> None:
    for taken in ("owner", "OWNER"):
        response = _register(anon, username=taken)
        assert response.status_code == 409
        assert "already taken" in response.json()["detail"]
    assert User.objects.filter(username__iexact="owner").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "has space"}, "username"),
        ({"username": ""}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),  # too common
        ({"email": "not-an-email"}, "email"),
        ({"base_currency": "ZZZ"}, "base_currency"),
        ({"base_currency": "usd"}, "base_currency"),
        ({"nickname": "extra"}, "nickname"),
        ({"password": 12345678}, "password"),
    ],
)
def test_bad_registration_names_the_field_and_writes_nothing(
    anon: ApiClient, db: None, fields: dict[str, Any], field: str
) -> None:
    response = _register(anon, **fields)

    assert response.status_code == 422
    assert field in _field_errors(response)
    assert not User.objects.exists()
    assert not Tenant.objects.exists()


def test_missing_password_is_422(anon: ApiClient, db: None) -> None:
    response = anon.post("/auth/register", {"username": "newbie"})
    assert response.status_code == 422
    assert _field_errors(response) == ["password"]


def test_malformed_json_is_a_4xx_json_answer(anon: ApiClient, db: None) -> None:
    response = anon.post("/auth/register", '{"username": "newbie", ')
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not User.objects.exists()


def test_failure_mid_registration_leaves_no_user(
    anon: ApiClient, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(**kwargs: Any) -> Membership:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Membership.objects, "create", explode)
    client = ApiClient()
    client.client.raise_request_exception = False

    response = client.post("/auth/register", {"username": "newbie", "password": PASSWORD})

    assert response.status_code == 500
    assert not User.objects.exists()
    assert not Tenant.objects.exists()


def test_concurrent_registration_losing_the_race_is_a_conflict(
    world: World, anon: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_username_taken", lambda username: False)
    tenants_before = Tenant.objects.count()

    response = _register(anon, username="owner")

    assert response.status_code == 409
    assert Tenant.objects.count() == tenants_before


def test_production_hasher_is_argon2(anon: ApiClient, db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    _register(anon)

    stored = User.objects.get(username="newbie").password
    assert stored.startswith("argon2$")
    assert login(anon, "newbie").status_code == 200
