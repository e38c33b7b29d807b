"""Multi-currency cases with known answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from findash.tenancy.versioning import tenant_data_changed
from tests import factories
from tests.conftest import World
from tests.dashboard.test_against_naive import assert_matches_naive


def test_rate_changing_mid_month_converts_each_day_at_its_own_rate(world: World) -> None:
    tenant = world.owner_personal
    euro = factories.make_account(tenant, currency="EUR")
    food = factories.make_category(tenant, name="Food")
    factories.make_rate(tenant, "EUR", "USD", "1.10", date(2025, 12, 1))
    factories.make_rate(tenant, "EUR", "USD", "1.30", date(2026, 1, 15))
    factories.make_transaction(
        tenant, euro, amount=Decimal("-100.00"), category=food, date=date(2026, 1, 10)
    )
    factories.make_transaction(
        tenant, euro, amount=Decimal("-100.00"), category=food, date=date(2026, 1, 20)
    )
    client = world.client(world.owner)
    summary = client.get("/financial/dashboard/summary?start=2026-01-01&end=2026-01-31").json()
    assert summary["expenses"] == "240.00"
    assert_matches_naive(client, tenant, date(2026, 1, 1), date(2026, 1, 31))


def test_inverse_rate_serves_the_other_direction_and_direct_wins_the_same_day(
    world: World,
) -> None:
    tenant = world.owner_personal
    euro = factories.make_account(tenant, currency="EUR", opening_balance=Decimal("300.00"))
    factories.make_rate(tenant, "USD", "EUR", "0.8", date(2026, 1, 1))
    accounts = (
        world.client(world.owner)
        .get("/financial/dashboard/accounts?start=2026-01-01&end=2026-01-31")
        .json()
    )
    assert accounts[0]["balance_base"] == "375.00"
    assert accounts[0]["fx_rate"] == "1.2500000000"
    factories.make_rate(tenant, "EUR", "USD", "1.2", date(2026, 1, 1))
    tenant_data_changed(tenant.pk)  # the factory writes past the services
    accounts = (
        world.client(world.owner)
        .get("/financial/dashboard/accounts?start=2026-01-01&end=2026-01-31")
        .json()
    )
    assert accounts[0]["balance_base"] == "360.00"
    assert euro.currency == "EUR"


def test_missing_rate_is_left_out_and_warned(world: World) -> None:
    tenant = world.owner_personal
    pound = factories.make_account(tenant, currency="GBP", opening_balance=Decimal("50.00"))
    dollar = factories.make_account(tenant, opening_balance=Decimal("10.00"))
    factories.make_transaction(tenant, pound, amount=Decimal("-5.00"), date=date(2026, 1, 3))
    factories.make_transaction(tenant, dollar, amount=Decimal("-2.00"), date=date(2026, 1, 3))
    data = (
        world.client(world.owner).get("/financial/dashboard?start=2026-01-01&end=2026-01-31").json()
    )
    assert data["summary"]["expenses"] == "2.00"
    assert data["summary"]["net_worth"] == "8.00"
    assert data["accounts"][0]["balance_base"] is None
    assert [(w["code"], w["currency"], w["target_currency"]) for w in data["warnings"]] == [
        ("missing_exchange_rate", "GBP", "USD")
    ]


def test_small_refund_surplus_is_zero_percent_not_negative_zero(world: World) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant)
    food = factories.make_category(tenant)
    factories.make_budget(tenant, food, amount=Decimal("672.80"), start_date=date(2026, 1, 1))
    factories.make_transaction(
        tenant, account, amount=Decimal("0.03"), category=food, date=date(2026, 1, 9)
    )
    budgets = (
        world.client(world.owner)
        .get("/financial/dashboard/budgets?start=2026-01-01&end=2026-01-31")
        .json()
    )
    assert (budgets[0]["spent"], budgets[0]["percent_used"]) == ("-0.03", "0.00")


def test_a_deleted_flow_leaves_no_warning_for_its_currency(world: World) -> None:
    """Rollup rows emptied by a delete are zeros, not flows to convert."""
    tenant = world.owner_personal
    yen = factories.make_account(tenant, currency="JPY", opening_balance=Decimal("0"))
    client = world.client(world.owner)
    # The only rate is dated after the flow: the flow could not be converted.
    client.post(
        "/exchange-rates", {"date": "2026-01-25", "base": "JPY", "quote": "USD", "rate": "0.0067"}
    )
    created = client.post(
        "/transactions", {"account_id": yen.pk, "date": "2026-01-10", "amount": "-500"}
    ).json()
    query = "/financial/dashboard?start=2026-01-05&end=2026-01-31"
    assert [w["currency"] for w in client.get(query).json()["warnings"]] == ["JPY"]
    client.delete(f"/transactions/{created['id']}")
    tenant_data_changed(tenant.pk)
    assert client.get(query).json()["warnings"] == []
