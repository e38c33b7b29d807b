"""End to end through the real dashboard: every write shows on the next read, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient, World
from tests.observability.conftest import metric

SUMMARY = "/financial/dashboard/summary?start=2026-01-01&end=2026-12-31"
BUDGETS = "/financial/dashboard/budgets?start=2026-03-01&end=2026-03-31"
FULL = "/financial/dashboard?start=2026-01-01&end=2026-12-31"


def _expenses(client: ApiClient) -> str:
    response = client.get(SUMMARY)
    assert response.status_code == 200, response.content
    return str(response.json()["expenses"])


def _ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, response.content
    return response.json() if status != 204 else None


@pytest.mark.django_db(transaction=True)
def test_each_write_shows_on_the_next_dashboard_read(world: World, cache_backend: str) -> None:
    owner = world.client(world.owner, world.org)
    member = world.client(world.member, world.org)
    account = _ok(
        owner.post("/accounts", {"name": "Checking", "type": "checking", "currency": "USD"})
    )
    category = _ok(owner.post("/categories", {"name": "Food", "kind": "expense"}))

    assert _expenses(owner) == "0.00"
    hits = metric("dashboard_cache_hits_total", cache_key_type="summary")
    assert _expenses(owner) == "0.00"
    assert metric("dashboard_cache_hits_total", cache_key_type="summary") == hits + 1

    txn = _ok(
        member.post(
            "/transactions",
            {
                "account_id": account["id"],
                "date": "2026-03-05",
                "amount": "-12.34",
                "category_id": category["id"],
            },
        )
    )
    assert _expenses(owner) == "12.34", "another member's write is visible at once"

    _ok(owner.patch(f"/transactions/{txn['id']}", {"amount": "-20.00"}), 200)
    assert _expenses(owner) == "20.00"

    budgets = owner.get(BUDGETS).json()
    assert budgets == []
    _ok(
        owner.post(
            "/budgets",
            {"category_id": category["id"], "amount": "50.00", "start_date": "2026-01-01"},
        )
    )
    [status] = owner.get(BUDGETS).json()
    assert status["spent"] == "20.00"

    _ok(owner.delete(f"/transactions/{txn['id']}"), 204)
    assert _expenses(owner) == "0.00"
    assert owner.get(BUDGETS).json()[0]["spent"] == "0.00"

    outsider = world.client(world.outsider)
    assert outsider.get(SUMMARY).json()["expenses"] == "0.00"


def test_the_full_dashboard_answers_304_until_a_write(world: World) -> None:
    owner = world.client(world.owner)
    account = _ok(owner.post("/accounts", {"name": "Cash", "type": "cash", "currency": "USD"}))
    first = owner.get(FULL)
    assert first.status_code == 200
    etag = first["ETag"]
    assert owner.get(FULL, HTTP_IF_NONE_MATCH=etag).status_code == 304

    _ok(
        owner.post(
            "/transactions", {"account_id": account["id"], "date": "2026-02-02", "amount": "-5.00"}
        )
    )
    changed = owner.get(FULL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["summary"]["expenses"] == "5.00"


def test_dashboard_metrics_and_log_fields_for_real_routes(world: World) -> None:
    labels = {"endpoint": "/financial/dashboard/summary", "tenant_type": "user"}
    before = metric("dashboard_requests_total", status="200", **labels)
    unauthenticated = metric(
        "dashboard_requests_total",
        endpoint="/financial/dashboard/summary",
        tenant_type="anonymous",
        status="401",
    )
    world.client(world.owner).get(SUMMARY)
    ApiClient().get(SUMMARY)
    assert metric("dashboard_requests_total", status="200", **labels) == before + 1
    assert (
        metric(
            "dashboard_requests_total",
            endpoint="/financial/dashboard/summary",
            tenant_type="anonymous",
            status="401",
        )
        == unauthenticated + 1
    )
