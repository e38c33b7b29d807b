"""The guide's dashboard unit tests: each part of the dashboard against a hand-worked ledger.

The guide runs `pytest tests/unit/test_dashboard.py`. The data is written through the public
API (accounts, categories, transactions, a transfer, a budget) and every figure below was
worked out by hand from the definitions in the API contract, not by the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import ApiClient, World

JANUARY = "?start=2026-01-01&end=2026-01-31"


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def _seed_ledger(client: ApiClient) -> dict[str, int]:
    """Three accounts, three categories, five flows and a transfer in January, one flow in
    February (outside the period), a 100.00 food budget."""

    def account(name: str, type_: str, opening: str) -> int:
        body = {"name": name, "type": type_, "currency": "USD", "opening_balance": opening}
        return int(_created(client.post("/accounts", body))["id"])

    def category(name: str, kind: str) -> int:
        return int(_created(client.post("/categories", {"name": name, "kind": kind}))["id"])

    ids = {
        "checking": account("Checking", "checking", "1000.00"),
        "savings": account("Savings", "savings", "500.00"),
        "card": account("Card", "credit_card", "-200.00"),
        "salary": category("Salary", "income"),
        "food": category("Food", "expense"),
        "rent": category("Rent", "expense"),
    }
    flows = [
        ("checking", "2026-01-02", "3000.00", "salary", "Employer"),
        ("checking", "2026-01-05", "-1200.00", "rent", "Landlord"),
        ("card", "2026-01-10", "-45.50", "food", "Grocer"),
        ("card", "2026-01-20", "-30.25", "food", "Grocer"),
        ("checking", "2026-01-21", "10.00", "food", "Grocer"),  # a refund
        ("checking", "2026-02-03", "-99.00", "food", "Grocer"),  # outside January
    ]
    for acct, day, amount, cat, payee in flows:
        body = {
            "account_id": ids[acct],
            "date": day,
            "amount": amount,
            "currency": "USD",
            "category_id": ids[cat],
            "payee": payee,
        }
        _created(client.post("/transactions", body))
    transfer = {
        "from_account_id": ids["checking"],
        "to_account_id": ids["savings"],
        "date": "2026-01-15",
        "amount": "100.00",
    }
    _created(client.post("/transfers", transfer))
    budget = {"category_id": ids["food"], "amount": "100.00", "start_date": "2026-01-01"}
    _created(client.post("/budgets", {**budget, "currency": "USD", "period": "monthly"}))
    return ids


def _get(client: ApiClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
class TestDashboardService:
    @pytest.fixture
    def client(self, world: World) -> ApiClient:
        return world.client(world.member, world.org)

    @pytest.fixture
    def ids(self, client: ApiClient) -> dict[str, int]:
        return _seed_ledger(client)

    def test_get_account_summaries(self, client: ApiClient, ids: dict[str, int]) -> None:
        accounts = {
            a["account_id"]: a for a in _get(client, "/financial/dashboard/accounts" + JANUARY)
        }
        checking = accounts[ids["checking"]]
        # 1000 + 3000 - 1200 + 10 - 100 (transfer out); February's -99 is after the period end.
        assert checking["balance"] == "2710.00"
        assert checking["balance_base"] == "2710.00"
        assert (checking["inflow"], checking["outflow"]) == ("3010.00", "1300.00")
        assert checking["transaction_count"] == 4  # the transfer counts for an account
        assert accounts[ids["savings"]]["balance"] == "600.00"
        assert accounts[ids["card"]]["balance"] == "-275.75"

    def test_get_financial_summary(self, client: ApiClient, ids: dict[str, int]) -> None:
        summary = _get(client, "/financial/dashboard/summary" + JANUARY)
        assert summary["currency"] == "USD"
        assert summary["total_assets"] == "3310.00"  # 2710 + 600
        assert summary["total_liabilities"] == "275.75"
        assert summary["net_worth"] == "3034.25"
        assert summary["income"] == "3000.00"
        assert summary["expenses"] == "1265.75"  # 1200 + 45.50 + 30.25 - 10 refund
        assert summary["net_cash_flow"] == "1734.25"
        assert summary["savings_rate"] == "0.5781"  # 1734.25 / 3000 = 0.57808…
        assert 0 <= summary["health"]["score"] <= 100

    def test_get_transaction_summary(self, client: ApiClient, ids: dict[str, int]) -> None:
        txns = _get(client, "/financial/dashboard/transactions" + JANUARY)
        assert txns["count"] == 5  # the transfer's two legs are not income or expense
        assert (txns["income"], txns["expenses"], txns["net"]) == ("3000.00", "1265.75", "1734.25")
        by_category = {
            row["name"]: (row["kind"], row["total"], row["count"]) for row in txns["by_category"]
        }
        assert by_category == {
            "Salary": ("income", "3000.00", 1),
            "Rent": ("expense", "1200.00", 1),
            "Food": ("expense", "65.75", 3),
        }
        assert txns["by_month"] == [
            {"month": "2026-01", "income": "3000.00", "expenses": "1265.75", "net": "1734.25"}
        ]
        assert txns["top_payees"][0]["payee"] == "Landlord"
        assert txns["largest_expenses"][0]["amount"] == "-1200.00"
        expected_daily = (Decimal("1265.75") / 31).quantize(Decimal("0.01"))
        assert Decimal(txns["average_daily_spend"]) == expected_daily

    def test_get_budget_statuses(self, client: ApiClient, ids: dict[str, int]) -> None:
        budgets = _get(client, "/financial/dashboard/budgets?start=2026-01-01&end=2026-02-28")
        by_month = {row["month"]: row for row in budgets}
        january, february = by_month["2026-01"], by_month["2026-02"]
        assert (january["limit"], january["spent"], january["remaining"]) == (
            "100.00",
            "65.75",
            "34.25",
        )
        assert (january["percent_used"], january["status"], january["alert"]) == (
            "65.75",
            "ok",
            False,
        )
        # February: 99.00 of 100.00 is past the 80 % threshold.
        assert (february["spent"], february["percent_used"], february["status"]) == (
            "99.00",
            "99.00",
            "warning",
        )
        assert february["alert"] is True
        assert january["category_id"] == ids["food"]

    def test_get_complete_dashboard_data(
        self, client: ApiClient, ids: dict[str, int], world: World
    ) -> None:
        whole = _get(client, "/financial/dashboard" + JANUARY)
        assert whole["tenant_id"] == world.org.public_id
        assert whole["period"] == {"start": "2026-01-01", "end": "2026-01-31"}
        for part in ("summary", "accounts", "transactions", "budgets"):
            assert whole[part] == _get(client, f"/financial/dashboard/{part}" + JANUARY)
        balances = sum(Decimal(a["balance_base"]) for a in whole["accounts"])
        assert balances == Decimal(whole["summary"]["net_worth"])

    def test_empty_data_handling(self, world: World) -> None:
        client = world.client(world.outsider)  # a personal tenant with nothing in it
        whole = _get(client, "/financial/dashboard" + JANUARY)
        summary = whole["summary"]
        assert (summary["net_worth"], summary["income"], summary["expenses"]) == (
            "0.00",
            "0.00",
            "0.00",
        )
        assert summary["savings_rate"] is None  # no income: no rate, not a division by zero
        assert whole["accounts"] == [] and whole["budgets"] == []
        assert whole["transactions"]["count"] == 0
        assert whole["transactions"]["top_payees"] == []

    def test_tenant_isolation(self, client: ApiClient, ids: dict[str, int], world: World) -> None:
        outsider = world.client(world.outsider, world.org)
        for path in ("", "/summary", "/accounts", "/transactions", "/budgets"):
            response = outsider.get("/financial/dashboard" + path + JANUARY)
            assert response.status_code == 403, path
        own = _get(world.client(world.outsider), "/financial/dashboard" + JANUARY)
        assert own["summary"]["net_worth"] == "0.00"
        assert own["accounts"] == []
