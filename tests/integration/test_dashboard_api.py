"""The guide's dashboard API integration tests, over real HTTP.

`pytest tests/integration/test_dashboard_api.py` runs them against a live server started for
the run; `--base-url=http://localhost:8001` against a deployed environment. Each test registers
its own users through POST /auth/register, so it needs nothing seeded and changes nobody
else's data.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from decimal import Decimal
from typing import Any

import pytest

ENDPOINTS = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)
JANUARY = "?start=2026-01-01&end=2026-01-31"
SUMMARY_FIELDS = {"currency", "total_assets", "total_liabilities", "net_worth", "income"}
SUMMARY_FIELDS |= {"expenses", "net_cash_flow", "savings_rate", "health"}


class Http:
    def __init__(self, base_url: str, token: str | None = None, tenant: str | None = None) -> None:
        self.base_url, self.token, self.tenant = base_url, token, tenant

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Accept": "application/json", "X-Forwarded-Proto": "https"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.tenant:
            headers["X-Tenant-ID"] = self.tenant
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw.startswith(b"{") else raw.decode()


def _register(base_url: str) -> tuple[Http, str]:
    """A new user with a personal tenant; returns an authenticated client and the tenant id."""
    anon = Http(base_url)
    username = f"it-{uuid.uuid4().hex[:12]}"
    password = f"Pw-{uuid.uuid4().hex}"
    status, user = anon.call("POST", "/auth/register", {"username": username, "password": password})
    assert status == 201, user
    status, tokens = anon.call("POST", "/auth/token", {"username": username, "password": password})
    assert status == 200, tokens
    assert tokens["token_type"] == "bearer"
    return Http(base_url, tokens["access_token"]), str(user["tenant_id"])


def _seed(client: Http) -> None:
    def post(path: str, body: dict[str, Any]) -> int:
        status, created = client.call("POST", path, body)
        assert status == 201, created
        return int(created["id"])

    checking = post(
        "/accounts",
        {"name": "Checking", "type": "checking", "currency": "USD", "opening_balance": "250.00"},
    )
    card = post(
        "/accounts",
        {"name": "Card", "type": "credit_card", "currency": "USD", "opening_balance": "0.00"},
    )
    food = post("/categories", {"name": "Food", "kind": "expense"})
    pay = post("/categories", {"name": "Pay", "kind": "income"})
    for account, amount, category, day in (
        (checking, "1500.00", pay, "2026-01-03"),
        (card, "-80.40", food, "2026-01-09"),
        (card, "-19.60", food, "2026-01-25"),
    ):
        body = {"account_id": account, "date": day, "amount": amount, "category_id": category}
        post("/transactions", {**body, "currency": "USD", "payee": "Market"})
    post(
        "/budgets",
        {"category_id": food, "amount": "90.00", "currency": "USD", "start_date": "2026-01-01"},
    )


@pytest.mark.django_db(transaction=True)
class TestDashboardApi:
    def test_all_five_endpoints_answer_with_their_schemas(self, base_url: str) -> None:
        client, tenant_id = _register(base_url)
        _seed(client)
        answers = {}
        for path in ENDPOINTS:
            status, body = client.call("GET", path + JANUARY)
            assert status == 200, (path, body)
            answers[path] = body
        whole = answers["/financial/dashboard"]
        assert whole["tenant_id"] == tenant_id
        assert set(whole) >= {
            "period",
            "currency",
            "summary",
            "accounts",
            "transactions",
            "budgets",
        }
        assert set(whole["summary"]) >= SUMMARY_FIELDS
        for part in ("summary", "accounts", "transactions", "budgets"):
            assert answers[f"/financial/dashboard/{part}"] == whole[part]

    def test_figures_over_http_match_the_ledger(self, base_url: str) -> None:
        client, _ = _register(base_url)
        _seed(client)
        status, summary = client.call("GET", "/financial/dashboard/summary" + JANUARY)
        assert status == 200
        # assets 250 + 1500; owed on the card 80.40 + 19.60
        assert (summary["total_assets"], summary["total_liabilities"]) == ("1750.00", "100.00")
        assert (summary["income"], summary["expenses"], summary["net_worth"]) == (
            "1500.00",
            "100.00",
            "1650.00",
        )
        status, budgets = client.call("GET", "/financial/dashboard/budgets" + JANUARY)
        assert status == 200
        (food,) = budgets
        assert (food["spent"], food["status"], food["alert"]) == ("100.00", "over", True)
        assert Decimal(food["remaining"]) == Decimal("-10.00")

    def test_requests_without_a_valid_token_are_401(self, base_url: str) -> None:
        for token in (None, "invalid_token", "a.b.c"):
            for path in ENDPOINTS:
                status, body = Http(base_url, token).call("GET", path)
                assert status == 401, (token, path, body)

    def test_an_outsider_cannot_read_another_tenants_dashboard(self, base_url: str) -> None:
        owner, owner_tenant = _register(base_url)
        _seed(owner)
        outsider, _ = _register(base_url)
        outsider.tenant = owner_tenant
        for path in ENDPOINTS:
            status, _ = outsider.call("GET", path + JANUARY)
            assert status == 403, path
        outsider.tenant = None
        status, own = outsider.call("GET", "/financial/dashboard/summary" + JANUARY)
        assert status == 200
        assert own["net_worth"] == "0.00"

    def test_a_bad_period_is_a_4xx_naming_the_field(self, base_url: str) -> None:
        client, _ = _register(base_url)
        status, body = client.call("GET", "/financial/dashboard?start=2026-02-30&end=2026-03-01")
        assert 400 <= status < 500
        assert "start" in json.dumps(body)
