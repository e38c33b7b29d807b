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


def test_dashboard_native_amounts_use_the_accounts_currency(world: World) -> None:
    client = world.client(world.owner)
    yen = client.post(
        "/accounts",
        {"name": "Yen", "type": "cash", "currency": "JPY", "opening_balance": "1500"},
    ).json()
    client.post("/transactions", {"account_id": yen["id"], "date": "2026-01-02", "amount": "-250"})
    client.post(
        "/exchange-rates", {"date": "2026-01-01", "base": "JPY", "quote": "USD", "rate": "0.0067"}
    )
    rows = client.get("/financial/dashboard/accounts?start=2026-01-01&end=2026-01-31").json()
    (row,) = [r for r in rows if r["account_id"] == yen["id"]]
    assert (row["balance"], row["inflow"], row["outflow"]) == ("1250", "0", "250")
    assert row["balance_base"] == "8.38"  # 1250 * 0.0067 = 8.375, half-even
