"""Money leaves the API as a string with its currency's minor unit."""

from __future__ import annotations

from tests.conftest import World


def test_amounts_print_with_their_currencys_minor_unit(world: World) -> None:
    client = world.client(world.owner)
    yen = client.post(
        "/accounts",
        {"name": "Yen", "type": "cash", "currency": "JPY", "opening_balance": "1500"},
    ).json()
    assert yen["opening_balance"] == "1500"
    txn = client.post(
        "/transactions", {"account_id": yen["id"], "date": "2026-01-02", "amount": "-250"}
    ).json()
    assert txn["amount"] == "-250"
    dollars = client.post(
        "/accounts",
        {"name": "USD", "type": "cash", "currency": "USD", "opening_balance": "3"},
    ).json()
    assert dollars["opening_balance"] == "3.00"
