from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError

from findash.ledger import bulk
from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.ledger.conftest import Ledger, rollups_match_transactions


def _rows(ledger: Ledger, n: int) -> list[dict[str, Any]]:
    return [
        {
            "account_id": (ledger.checking if i % 2 else ledger.savings).pk,
            "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "amount": f"{'-' if i % 3 else ''}{i}.{i % 100:02d}",
            "category_id": (ledger.groceries.pk if i % 3 else ledger.salary.pk) if i % 5 else None,
            "payee": f"Payee {i % 7}",
        }
        for i in range(n)
    ]


def _count(ledger: Ledger) -> int:
    with tenant_scope(ledger.world.org):
        return Transaction.objects.count()


def test_bulk_creates_every_row_with_exact_rollups(ledger: Ledger) -> None:
    response = ledger.member.post("/transactions/bulk", {"transactions": _rows(ledger, 300)})
    assert response.status_code == 201
    assert response.json() == {"created": 300}
    assert _count(ledger) == 300
    rollups_match_transactions(ledger.world.org)
    listed = ledger.viewer.get("/transactions?q=payee%203").json()
    assert listed["count"] == len([i for i in range(300) if i % 7 == 3])


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"amount": 5}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"currency": "EUR"}, "currency"),
        ({"account_id": 999999}, "account_id"),
        ({"category_id": 999999}, "category_id"),
        ({"date": "2026-02-31"}, "date"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_one_bad_row_rejects_the_batch_naming_its_index(
    ledger: Ledger, bad: dict[str, Any], field: str
) -> None:
    rows = _rows(ledger, 40)
    rows[17] = {**rows[17], **bad}
    response = ledger.owner.post("/transactions/bulk", {"transactions": rows})
    assert response.status_code == 422
    locs = [error["loc"] for error in response.json()["detail"]]
    assert any(17 in loc and field in loc and "transactions" in loc for loc in locs)
    assert _count(ledger) == 0
    rollups_match_transactions(ledger.world.org)


def test_another_tenants_account_in_a_row_is_422(ledger: Ledger) -> None:
    theirs = factories.make_account(ledger.world.outsider_personal)
    rows = _rows(ledger, 5)
    rows[4]["account_id"] = theirs.pk
    response = ledger.owner.post("/transactions/bulk", {"transactions": rows})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "transactions", 4, "account_id"]
    assert _count(ledger) == 0


def test_empty_and_oversize_batches_are_422(ledger: Ledger) -> None:
    assert ledger.owner.post("/transactions/bulk", {"transactions": []}).status_code == 422
    row = _rows(ledger, 1)[0]
    response = ledger.owner.post("/transactions/bulk", {"transactions": [row] * 10_001})
    assert response.status_code == 422
    assert _count(ledger) == 0


def test_viewer_and_outsider_cannot_bulk(ledger: Ledger) -> None:
    body = {"transactions": _rows(ledger, 3)}
    assert ledger.viewer.post("/transactions/bulk", body).status_code == 403
    assert ledger.outsider.post("/transactions/bulk", body).status_code == 422
    assert _count(ledger) == 0


def test_database_error_mid_bulk_leaves_nothing(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exploding_rollups(**_: Any) -> None:
        raise OperationalError("disk full while writing rollups")

    monkeypatch.setattr(bulk, "rollups_apply", exploding_rollups)
    ledger.owner.client.raise_request_exception = False
    response = ledger.owner.post("/transactions/bulk", {"transactions": _rows(ledger, 2500)})
    assert response.status_code >= 500
    assert response["Content-Type"].startswith("application/json")
    assert _count(ledger) == 0


def test_database_error_in_a_later_batch_leaves_nothing(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The insert fails after 2000 of 2500 rows were written: those are rolled back too."""
    original = bulk._transactions_insert

    def failing_insert(rows: Any) -> None:
        original(rows[:2000])
        raise OperationalError("connection lost after 2000 rows")

    monkeypatch.setattr(bulk, "_transactions_insert", failing_insert)
    ledger.owner.client.raise_request_exception = False
    response = ledger.owner.post("/transactions/bulk", {"transactions": _rows(ledger, 2500)})
    assert response.status_code >= 500
    assert response["Content-Type"].startswith("application/json")
    monkeypatch.undo()
    assert _count(ledger) == 0


def test_text_with_tabs_newlines_and_backslashes_round_trips(ledger: Ledger) -> None:
    awkward = 'tab\there\nnew line \\N back\\slash "quoted" ünïcödé ✓'
    rows = _rows(ledger, 3)
    for row in rows:
        row["description"] = awkward
        row["payee"] = "\\."
    assert ledger.owner.post("/transactions/bulk", {"transactions": rows}).status_code == 201
    with tenant_scope(ledger.world.org):
        stored = {(t.description, t.payee) for t in Transaction.objects.all()}
    assert stored == {(awkward, "\\.")}
