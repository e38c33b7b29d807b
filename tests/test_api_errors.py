"""Errors at the API's edge: always JSON, field named, nothing written."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from findash.ledger import services as ledger_services
from findash.ledger.models import Account
from tests.conftest import World


def test_body_validation_errors_name_the_field_without_the_parameter_name(world: World) -> None:
    client = world.client(world.owner)
    response = client.post(
        "/accounts", {"name": "x", "type": "checking", "currency": "USD", "opening_balance": 12.5}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "opening_balance"]


def test_unexpected_database_error_is_a_json_500_and_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise IntegrityError("constraint failed")

    monkeypatch.setattr(ledger_services, "account_create", broken)
    client = world.client(world.owner)
    response = client.post(
        "/accounts",
        {"name": "x", "type": "checking", "currency": "USD", "opening_balance": "1.00"},
    )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "nothing was changed" in response.json()["detail"]
    assert Account.objects.unscoped().count() == 0
