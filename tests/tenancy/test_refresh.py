from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
from django.conf import settings as django_settings
from django.utils import timezone

from findash.tenancy.models import RefreshToken
from tests.conftest import ApiClient, World
from tests.tenancy.conftest import bearer_client, login


def _refresh(anon: ApiClient, token: str) -> Any:
    return anon.post("/auth/refresh", {"refresh_token": token})


def test_refresh_answers_a_new_working_pair(world: World, anon: ApiClient) -> None:
    first = login(anon, "owner").json()

    response = _refresh(anon, first["refresh_token"])

    assert response.status_code == 200
    second = response.json()
    assert second["token_type"] == "bearer"
    assert second["refresh_token"] != first["refresh_token"]
    assert bearer_client(second["access_token"]).get("/tenant/info").status_code == 200
    assert _refresh(anon, second["refresh_token"]).status_code == 200


def test_reusing_a_refresh_token_is_401_and_revokes_the_family(
    world: World, anon: ApiClient
) -> None:
    stolen = login(anon, "owner").json()["refresh_token"]
    rotated = _refresh(anon, stolen).json()["refresh_token"]

    reuse = _refresh(anon, stolen)

    assert reuse.status_code == 401
    assert reuse.json() == {"detail": "refresh token was already used"}
    # The legitimate holder's newer token dies with the family...
    assert _refresh(anon, rotated).status_code == 401
    assert RefreshToken.objects.filter(user=world.owner, revoked_at=None).count() == 0
    # ...but another login (another family) is untouched.
    other = login(anon, "owner").json()["refresh_token"]
    assert _refresh(anon, other).status_code == 200


def test_reuse_in_one_family_leaves_other_sessions_alive(world: World, anon: ApiClient) -> None:
    phone = login(anon, "owner").json()["refresh_token"]
    laptop = login(anon, "owner").json()["refresh_token"]
    _refresh(anon, phone)
    assert _refresh(anon, phone).status_code == 401

    assert _refresh(anon, laptop).status_code == 200


def test_access_token_is_not_a_refresh_token(world: World, anon: ApiClient) -> None:
    access = login(anon, "owner").json()["access_token"]
    response = _refresh(anon, access)
    assert response.status_code == 401


def test_refresh_token_is_not_an_access_token(world: World, anon: ApiClient) -> None:
    refresh = login(anon, "owner").json()["refresh_token"]
    assert bearer_client(refresh).get("/tenant/info").status_code == 401


def test_expired_refresh_token_is_401(world: World, anon: ApiClient, settings: Any) -> None:
    settings.JWT_REFRESH_TTL = timedelta(seconds=-1)
    expired = login(anon, "owner").json()["refresh_token"]

    response = _refresh(anon, expired)

    assert response.status_code == 401
    assert response.json() == {"detail": "token has expired"}


def test_garbage_and_tampered_refresh_tokens_are_401(world: World, anon: ApiClient) -> None:
    good = login(anon, "owner").json()["refresh_token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    forged = jwt.encode(claims, "not-the-secret", algorithm="HS256")
    unknown_jti = jwt.encode(
        {**claims, "jti": "0" * 32},
        django_settings.JWT_SECRET,
        algorithm=django_settings.JWT_ALGORITHM,
    )

    for token in ("garbage", good[:-3] + "abc", forged, unknown_jti):
        assert _refresh(anon, token).status_code == 401
    # None of the failures used up the real token.
    assert _refresh(anon, good).status_code == 200


def test_revoked_refresh_token_is_401(world: World, anon: ApiClient) -> None:
    token = login(anon, "owner").json()["refresh_token"]
    RefreshToken.objects.filter(user=world.owner).update(revoked_at=timezone.now())
    assert _refresh(anon, token).status_code == 401


def test_deactivated_user_cannot_refresh(world: World, anon: ApiClient) -> None:
    token = login(anon, "outsider").json()["refresh_token"]
    world.outsider.is_active = False
    world.outsider.save()
    assert _refresh(anon, token).status_code == 401


def test_refresh_body_must_name_the_token(world: World, anon: ApiClient) -> None:
    response = anon.post("/auth/refresh", {"token": "x"})
    assert response.status_code == 422
    locs = [error["loc"][-1] for error in response.json()["detail"]]
    assert "refresh_token" in locs
