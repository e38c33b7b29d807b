"""Bearer authentication as every protected endpoint sees it (through /tenant/info)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils import timezone

from findash.tenancy.auth import request_actor
from tests import factories
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import bearer_client, login


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def access(world: World, anon: ApiClient) -> str:
    return str(login(anon, "outsider").json()["access_token"])


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic b3duZXI6cGFzcw==", "Token abc", "Bearer not.a.jwt"],
)
def test_missing_or_malformed_authorization_is_401(world: World, header: str | None) -> None:
    client = ApiClient()
    if header is not None:
        client.headers["HTTP_AUTHORIZATION"] = header
    response = client.get("/tenant/info")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_expired_access_token_is_401(world: World, anon: ApiClient, settings: Any) -> None:
    settings.JWT_ACCESS_TTL = timedelta(seconds=-1)
    expired = login(anon, "outsider").json()["access_token"]

    response = bearer_client(expired).get("/tenant/info")

    assert response.status_code == 401
    assert response.json() == {"detail": "token has expired"}


def test_token_signed_with_another_secret_is_401(world: World, access: str) -> None:
    forged = jwt.encode(_claims(access), "attacker-secret", algorithm="HS256")
    assert bearer_client(forged).get("/tenant/info").status_code == 401


def test_modified_signature_is_401(world: World, access: str) -> None:
    header, payload, signature = access.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    response = bearer_client(f"{header}.{payload}.{flipped}").get("/tenant/info")
    assert response.status_code == 401


def test_modified_payload_is_401(world: World, access: str) -> None:
    """Swapping the subject to the org owner keeps the old signature: rejected."""
    header, _, signature = access.split(".")
    claims = {**_claims(access), "sub": str(world.owner.pk)}
    response = bearer_client(f"{header}.{_b64(claims)}.{signature}").get("/tenant/info")
    assert response.status_code == 401


def test_alg_none_is_401(world: World, access: str) -> None:
    claims = {**_claims(access), "sub": str(world.owner.pk)}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    response = bearer_client(unsigned).get("/tenant/info", HTTP_X_TENANT_ID=world.org.public_id)
    assert response.status_code == 401


def test_token_of_another_issuer_is_401(world: World, access: str) -> None:
    claims = {**_claims(access), "iss": "someone-else"}
    other = jwt.encode(claims, django_settings.JWT_SECRET, algorithm=django_settings.JWT_ALGORITHM)
    assert bearer_client(other).get("/tenant/info").status_code == 401


def test_token_without_expiry_is_401(world: World, access: str) -> None:
    claims = _claims(access)
    del claims["exp"]
    forever = jwt.encode(
        claims, django_settings.JWT_SECRET, algorithm=django_settings.JWT_ALGORITHM
    )
    assert bearer_client(forever).get("/tenant/info").status_code == 401


def test_token_of_a_deleted_user_is_401(world: World, access: str) -> None:
    world.outsider.delete()
    assert bearer_client(access).get("/tenant/info").status_code == 401


def test_token_of_a_deactivated_user_is_401(world: World, access: str) -> None:
    world.outsider.is_active = False
    world.outsider.save()
    assert bearer_client(access).get("/tenant/info").status_code == 401


def test_fresh_token_is_accepted_until_it_expires(world: World, access: str) -> None:
    exp = _claims(access)["exp"]
    assert exp > timezone.now().timestamp()
    assert bearer_client(access).get("/tenant/info").status_code == 200


def test_request_actor_refuses_an_unauthenticated_request() -> None:
    with pytest.raises(TypeError):
        request_actor(HttpRequest())


@pytest.mark.parametrize("algorithm", ["none", "RS256"])
def test_only_hmac_algorithms_can_be_configured(
    world: World, settings: Any, algorithm: str
) -> None:
    settings.JWT_ALGORITHM = algorithm
    with pytest.raises(ImproperlyConfigured):
        factories.bearer(world.owner)


def test_another_hmac_algorithm_works_when_configured(
    world: World, anon: ApiClient, settings: Any
) -> None:
    settings.JWT_ALGORITHM = "HS512"
    access = login(anon, "owner").json()["access_token"]
    assert jwt.get_unverified_header(access)["alg"] == "HS512"
    assert bearer_client(access).get("/tenant/info").status_code == 200


def test_401_tells_the_client_to_use_a_bearer_token(world: World, access: str) -> None:
    missing = ApiClient().get("/tenant/info")
    invalid = bearer_client(access + "x").get("/tenant/info")
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert invalid["WWW-Authenticate"] == 'Bearer error="invalid_token"'
