"""revoke_auth_tokens and reset_user_permissions, seen through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from findash.tenancy.models import Membership, Role
from tests.conftest import World
from tests.factories import make_user

PASSWORD = "a-long-test-password-2026"


def _login(username: str) -> dict[str, Any]:
    response = Client().post(
        "/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def _refresh(token: str) -> int:
    response = Client().post(
        "/auth/refresh", {"refresh_token": token}, content_type="application/json"
    )
    return int(response.status_code)


def _user(name: str) -> Any:
    user = make_user(name)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.django_db
def test_revoked_users_must_log_in_again_and_others_keep_their_sessions() -> None:
    _user("alice"), _user("bob")
    alice, bob = _login("alice"), _login("bob")
    call_command("revoke_auth_tokens", "alice")
    assert _refresh(alice["refresh_token"]) == 401
    assert _refresh(bob["refresh_token"]) == 200
    assert _refresh(_login("alice")["refresh_token"]) == 200  # a new login works


@pytest.mark.django_db
def test_api_tokens_are_revoked_only_when_asked() -> None:
    _user("carol")
    access = _login("carol")["access_token"]
    created = Client().post(
        "/auth/api-tokens",
        {"name": "script", "scope": "read"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )
    assert created.status_code == 201
    api_token = created.json()["token"]

    def dashboard_status() -> int:
        answer = Client().get("/financial/dashboard", HTTP_AUTHORIZATION=f"Bearer {api_token}")
        return int(answer.status_code)

    call_command("revoke_auth_tokens", "carol")
    assert dashboard_status() == 200
    call_command("revoke_auth_tokens", "carol", api_tokens=True)
    assert dashboard_status() == 401


@pytest.mark.django_db
def test_unknown_users_and_ambiguous_calls_are_refused() -> None:
    with pytest.raises(CommandError, match="no such user: nobody"):
        call_command("revoke_auth_tokens", "nobody")
    with pytest.raises(CommandError, match="not both"):
        call_command("revoke_auth_tokens")


@pytest.mark.django_db
def test_reset_user_permissions_restores_a_plain_owner(world: World) -> None:
    user = world.outsider
    user.set_password(PASSWORD)
    user.is_superuser = user.is_staff = True
    user.save()
    personal = Membership.objects.get(user=user, tenant=world.outsider_personal)
    personal.role = Role.VIEWER
    personal.save()
    refresh = _login(user.username)["refresh_token"]
    user.is_active = False  # locked out as well
    user.save(update_fields=["is_active"])

    call_command("reset_user_permissions", user.username)

    user.refresh_from_db()
    personal.refresh_from_db()
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)
    assert personal.role == Role.OWNER
    assert _refresh(refresh) == 401
    # an owner again: writes in the personal tenant succeed
    access = _login(user.username)["access_token"]
    created = Client().post(
        "/categories",
        {"name": "Rent", "kind": "expense"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )
    assert created.status_code == 201
