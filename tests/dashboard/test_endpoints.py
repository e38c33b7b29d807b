"""The five dashboard endpoints over HTTP: shape, periods, tenancy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tests.conftest import World

PARTS = ("summary", "accounts", "transactions", "budgets")


def _seed(world: World) -> None:
    tenant = world.org
    checking = factories.make_account(tenant, opening_balance=Decimal("1000.00"))
    card = factories.make_account(tenant, type="credit_card", opening_balance=Decimal("-200.00"))
    food = factories.make_category(tenant, name="Food")
    salary = factories.make_category(tenant, name="Salary", kind="income")
    factories.make_transaction(
        tenant, checking, amount=Decimal("3000.00"), category=salary, date=date(2026, 1, 2)
    )
    factories.make_transaction(
        tenant,
        card,
        amount=Decimal("-45.50"),
        category=food,
        payee="Grocer",
        date=date(2026, 1, 10),
    )
    factories.make_budget(tenant, food, amount=Decimal("50.00"), start_date=date(2026, 1, 1))


def test_dashboard_answers_the_four_parts_identically(world: World) -> None:
    _seed(world)
    client = world.client(world.member, world.org)
    query = "?start=2026-01-01&end=2026-01-31"
    whole = client.get("/financial/dashboard" + query)
    assert whole.status_code == 200
    data = whole.json()
    assert data["tenant_id"] == world.org.public_id
    assert data["period"] == {"start": "2026-01-01", "end": "2026-01-31"}
    for part in PARTS:
        response = client.get(f"/financial/dashboard/{part}" + query)
        assert response.status_code == 200
        assert response.json() == data[part]
    summary = data["summary"]
    assert summary["total_assets"] == "4000.00"
    assert summary["total_liabilities"] == "245.50"
    assert summary["net_worth"] == "3754.50"
    assert summary["savings_rate"] == "0.9848"
    budget = data["budgets"][0]
    assert (budget["spent"], budget["percent_used"], budget["status"], budget["alert"]) == (
        "45.50",
        "91.00",
        "warning",
        True,
    )


def test_viewer_reads_and_outsider_sees_only_own_tenant(world: World) -> None:
    _seed(world)
    viewer = world.client(world.viewer, world.org).get(
        "/financial/dashboard/summary?start=2026-01-01&end=2026-01-31"
    )
    assert viewer.status_code == 200
    assert viewer.json()["net_worth"] == "3754.50"
    outsider = world.client(world.outsider)
    own = outsider.get("/financial/dashboard?start=2026-01-01&end=2026-01-31").json()
    assert own["tenant_id"] == world.outsider_personal.public_id
    assert own["accounts"] == [] and own["summary"]["net_worth"] == "0.00"
    denied = world.client(world.outsider, world.org).get("/financial/dashboard")
    assert denied.status_code == 403


def test_anonymous_is_401(anon) -> None:  # type: ignore[no-untyped-def]
    assert anon.get("/financial/dashboard").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?start=2026-02-01&end=2026-01-01", "start"),
        ("?start=2010-01-01&end=2020-01-01", "end"),
        ("?start=2026-13-01&end=2026-12-31", "start"),
        ("?start=2026-01-01&end=yesterday", "end"),
        ("?start=2026-01-01", "end"),
        ("?end=2026-01-01", "start"),
        ("?period=fortnight", "period"),
        ("?period=last_month&start=2026-01-01&end=2026-01-02", "period"),
    ],
)
@pytest.mark.parametrize("part", ["", *(f"/{p}" for p in PARTS)])
def test_bad_periods_are_422_naming_the_parameter(
    world: World, query: str, field: str, part: str
) -> None:
    response = world.client(world.owner).get(f"/financial/dashboard{part}{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_ten_years_exactly_is_accepted(world: World) -> None:
    response = world.client(world.owner).get(
        "/financial/dashboard/summary?start=2016-01-01&end=2025-12-31"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "period",
    [
        "current_month",
        "last_month",
        "last_30_days",
        "last_90_days",
        "year_to_date",
        "last_year",
        "last_12_months",
    ],
)
def test_named_periods(world: World, period: str) -> None:
    response = world.client(world.owner).get(f"/financial/dashboard?period={period}")
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["start"] <= body["period"]["end"]


def test_money_is_a_string_everywhere(world: World) -> None:
    _seed(world)
    data = (
        world.client(world.owner, world.org)
        .get("/financial/dashboard?start=2026-01-01&end=2026-01-31")
        .json()
    )
    for key in ("balance", "balance_base", "inflow", "outflow"):
        assert isinstance(data["accounts"][0][key], str)
    assert isinstance(data["transactions"]["largest_expenses"][0]["amount_base"], str)
