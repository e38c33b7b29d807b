"""No input is a 500: NUL bytes, huge offsets, out-of-range dates, amounts and time zones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from findash.common.limits import AMOUNT_MAX, LATEST_DATE, MAX_OFFSET, PAGE_SIZE_MAX
from findash.tenancy.models import ApiToken
from tests import factories
from tests.conftest import ApiClient, World
from tests.security.conftest import field_error

LISTS = (
    "/accounts",
    "/categories",
    "/transactions",
    "/exchange-rates",
    "/budgets",
    "/tenants",
    "/auth/api-tokens",
    "/invitations",
    "/webhooks",
)


def test_a_nul_byte_in_a_login_username_is_a_422_naming_it(anon: ApiClient, db: None) -> None:
    response = anon.post("/auth/token", {"username": "al\x00ice", "password": "x"})
    assert response.status_code == 422
    assert field_error(response) == ["body", "username"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/tenants", {"name": "Ac\x00me", "base_currency": "USD"}, "name"),
        ("/auth/api-tokens", {"name": "ci\x00", "scope": "read"}, "name"),
        ("/accounts", {"name": "x\x00", "type": "cash", "currency": "USD"}, "name"),
        ("/tenants/org_1/members", {"username": "bo\x00b", "role": "member"}, "username"),
    ],
)
def test_a_nul_byte_in_any_text_field_is_a_422_naming_it(
    world: World, path: str, body: dict[str, Any], field: str
) -> None:
    response = world.client(world.owner).post(path, body)
    assert response.status_code == 422
    assert field_error(response) == ["body", field]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("offset=9223372036854775808", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=-1", "offset"),
        (f"limit={PAGE_SIZE_MAX + 1}", "limit"),
        ("limit=0", "limit"),
    ],
)
def test_every_list_bounds_offset_and_limit(world: World, path: str, query: str, name: str) -> None:
    response = world.client(world.owner).get(f"{path}?{query}")
    assert response.status_code == 422
    assert field_error(response) == ["query", name]


@pytest.mark.parametrize("path", LISTS)
def test_the_largest_offset_allowed_is_an_empty_page(world: World, path: str) -> None:
    response = world.client(world.owner).get(f"{path}?offset={MAX_OFFSET}")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "expires_at",
    [
        "9999-12-31T23:59:59-12:00",  # past year 9999 once in UTC
        "9999-12-31T23:59:59Z",
        f"{LATEST_DATE.year + 1}-01-01T00:00:00Z",
        "2030-01-01T00:00:00-19:00",  # no real zone; PostgreSQL refuses it
        "2030-01-01T00:00:00+15:00",
    ],
)
def test_api_token_expiry_out_of_range_is_a_422_and_the_list_keeps_working(
    world: World, expires_at: str
) -> None:
    client = world.client(world.owner)
    response = client.post(
        "/auth/api-tokens", {"name": "ci", "scope": "read", "expires_at": expires_at}
    )
    assert response.status_code == 422
    assert field_error(response) == ["body", "expires_at"]
    assert client.get("/auth/api-tokens").status_code == 200


def test_an_expiry_with_a_real_offset_is_stored_in_utc(world: World) -> None:
    client = world.client(world.owner)
    created = client.post(
        "/auth/api-tokens",
        {"name": "ci", "scope": "read", "expires_at": "2199-12-31T23:00:00-11:00"},
    )
    assert created.status_code == 201
    assert created.json()["expires_at"].startswith("2200-01-01T10:00:00")
    assert client.get("/auth/api-tokens").json()["count"] == 1
    assert client.delete(f"/auth/api-tokens/{created.json()['id']}").status_code == 204
    assert ApiToken.objects.unscoped().get().revoked_at is not None


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_ledger_dates_outside_the_documented_range_are_a_422(world: World, day: str) -> None:
    account = factories.make_account(world.owner_personal)
    response = world.client(world.owner).post(
        "/transactions", {"account_id": account.pk, "date": day, "amount": "1.00"}
    )
    assert response.status_code == 422
    assert field_error(response) == ["body", "date"]


@pytest.mark.parametrize(
    "amount",
    [str(AMOUNT_MAX + Decimal("0.01")), "1" + "0" * 17, "-" + str(AMOUNT_MAX + 1), "1e5", "NaN"],
)
def test_amounts_beyond_the_documented_maximum_are_a_422(world: World, amount: str) -> None:
    account = factories.make_account(world.owner_personal)
    response = world.client(world.owner).post(
        "/transactions", {"account_id": account.pk, "date": "2026-11-02", "amount": amount}
    )
    assert response.status_code == 422
    assert field_error(response) == ["body", "amount"]


def test_the_documented_maximum_amount_is_accepted_and_read_back_exactly(world: World) -> None:
    account = factories.make_account(world.owner_personal)
    client = world.client(world.owner)
    for amount in (str(AMOUNT_MAX), f"-{AMOUNT_MAX}"):
        created = client.post(
            "/transactions", {"account_id": account.pk, "date": "2026-11-02", "amount": amount}
        )
        assert created.status_code == 201, created.content
        assert created.json()["amount"] == amount


def test_a_money_number_instead_of_a_string_is_a_422(world: World) -> None:
    account = factories.make_account(world.owner_personal)
    response = world.client(world.owner).post(
        "/transactions", {"account_id": account.pk, "date": "2026-11-02", "amount": 12.5}
    )
    assert response.status_code == 422
    assert field_error(response) == ["body", "amount"]


def test_a_body_over_the_limit_is_a_413(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = world.client(world.owner).post("/accounts", "x" * 2048)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 1024 bytes"}
