from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.ledger.conftest import Ledger, rollups_match_transactions


def _transfer(ledger: Ledger, **change: Any) -> dict[str, Any]:
    return {
        "from_account_id": ledger.checking.pk,
        "to_account_id": ledger.savings.pk,
        "date": "2026-04-10",
        "amount": "250.00",
        "description": "Rainy day",
        **change,
    }


def _all(ledger: Ledger) -> list[Transaction]:
    with tenant_scope(ledger.world.org):
        return list(Transaction.objects.order_by("id"))


def test_transfer_creates_two_linked_legs(ledger: Ledger) -> None:
    response = ledger.member.post("/transfers", _transfer(ledger))
    assert response.status_code == 201
    body = response.json()
    source, target = body["transactions"]
    assert source["account_id"] == ledger.checking.pk
    assert source["amount"] == "-250.00"
    assert target["account_id"] == ledger.savings.pk
    assert target["amount"] == "250.00"
    assert source["transfer_id"] == target["transfer_id"] == body["transfer_id"]
    assert source["description"] == target["description"] == "Rainy day"
    assert source["date"] == target["date"] == "2026-04-10"
    assert [t.pk for t in _all(ledger)] == [source["id"], target["id"]]
    rollups_match_transactions(ledger.world.org)
    listed = ledger.viewer.get(f"/transactions/{target['id']}").json()
    assert listed["transfer_id"] == body["transfer_id"]


@pytest.mark.parametrize("leg", [0, 1])
def test_deleting_either_leg_deletes_both(ledger: Ledger, leg: int) -> None:
    other = ledger.owner.post("/transfers", _transfer(ledger, amount="1.00")).json()
    legs = ledger.owner.post("/transfers", _transfer(ledger)).json()["transactions"]
    response = ledger.owner.delete(f"/transactions/{legs[leg]['id']}")
    assert response.status_code == 204
    remaining = {t.pk for t in _all(ledger)}
    assert remaining == {t["id"] for t in other["transactions"]}
    rollups_match_transactions(ledger.world.org)


def test_transfer_legs_keep_amount_account_and_date(ledger: Ledger) -> None:
    legs = ledger.owner.post("/transfers", _transfer(ledger)).json()["transactions"]
    url = f"/transactions/{legs[0]['id']}"
    for change in ({"amount": "-1.00"}, {"account_id": ledger.savings.pk}, {"date": "2026-05-01"}):
        response = ledger.owner.patch(url, change)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", next(iter(change))]
    renamed = ledger.owner.patch(url, {"description": "Moved", "amount": "-250.00"})
    assert renamed.status_code == 200
    assert renamed.json()["description"] == "Moved"
    rollups_match_transactions(ledger.world.org)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": 5}, "amount"),
        ({"amount": "5.001"}, "amount"),
        ({"to_account_id": "same"}, "to_account_id"),
        ({"from_account_id": 999999}, "from_account_id"),
        ({"to_account_id": 999999}, "to_account_id"),
        ({"to_amount": "9.00"}, "to_amount"),
        ({"date": "2300-01-01"}, "date"),
        ({"category_id": 1}, "category_id"),
    ],
)
def test_bad_transfers_are_422_and_write_nothing(
    ledger: Ledger, change: dict[str, Any], field: str
) -> None:
    if change.get("to_account_id") == "same":
        change = {"to_account_id": ledger.checking.pk}
    response = ledger.owner.post("/transfers", _transfer(ledger, **change))
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])
    assert _all(ledger) == []


def test_another_tenants_account_is_422(ledger: Ledger) -> None:
    theirs = factories.make_account(ledger.world.outsider_personal)
    response = ledger.owner.post("/transfers", _transfer(ledger, to_account_id=theirs.pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "to_account_id"]
    assert ledger.outsider.post("/transfers", _transfer(ledger)).status_code == 422
    assert _all(ledger) == []


def test_cross_currency_needs_to_amount(ledger: Ledger) -> None:
    euros = factories.make_account(ledger.world.org, currency="EUR")
    missing = ledger.owner.post("/transfers", _transfer(ledger, to_account_id=euros.pk))
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "to_amount"]
    bad = ledger.owner.post(
        "/transfers", _transfer(ledger, to_account_id=euros.pk, to_amount="-3.00")
    )
    assert bad.status_code == 422
    ok = ledger.owner.post(
        "/transfers", _transfer(ledger, to_account_id=euros.pk, to_amount="230.15")
    )
    assert ok.status_code == 201
    source, target = ok.json()["transactions"]
    assert (source["amount"], source["currency"]) == ("-250.00", "USD")
    assert (target["amount"], target["currency"]) == ("230.15", "EUR")
    rollups_match_transactions(ledger.world.org)


def test_same_currency_to_amount_must_match(ledger: Ledger) -> None:
    ok = ledger.owner.post("/transfers", _transfer(ledger, to_amount="250.00"))
    assert ok.status_code == 201
    assert ok.json()["transactions"][1]["amount"] == "250.00"


def test_viewer_cannot_transfer(ledger: Ledger) -> None:
    assert ledger.viewer.post("/transfers", _transfer(ledger)).status_code == 403
    assert _all(ledger) == []


def test_transfer_amounts_are_never_floats(ledger: Ledger) -> None:
    ledger.owner.post("/transfers", _transfer(ledger, amount="0.10"))
    assert {t.amount for t in _all(ledger)} == {Decimal("-0.10"), Decimal("0.10")}
