from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.ledger.conftest import Ledger, rollups_match_transactions


def _locs(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [error["loc"] for error in response.json()["detail"]]


def _row(ledger: Ledger, **change: object) -> dict[str, object]:
    return {
        "account_id": ledger.checking.pk,
        "date": "2026-02-03",
        "amount": "-12.34",
        "category_id": ledger.groceries.pk,
        "description": "Weekly shop",
        "payee": "Market",
        **change,
    }


def _count(ledger: Ledger) -> int:
    with tenant_scope(ledger.world.org):
        return Transaction.objects.count()


def test_create_returns_every_field_and_defaults_currency(ledger: Ledger) -> None:
    response = ledger.member.post("/transactions", _row(ledger))
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "account_id": ledger.checking.pk,
        "date": "2026-02-03",
        "amount": "-12.34",
        "currency": "USD",
        "category_id": ledger.groceries.pk,
        "description": "Weekly shop",
        "payee": "Market",
        "transfer_id": None,
        "created_at": body["created_at"],
    }
    rollups_match_transactions(ledger.world.org)


def test_matching_currency_is_accepted_and_mismatch_is_422(ledger: Ledger) -> None:
    assert ledger.owner.post("/transactions", _row(ledger, currency="USD")).status_code == 201
    response = ledger.owner.post("/transactions", _row(ledger, currency="EUR"))
    assert response.status_code == 422
    assert _locs(response) == [["body", "currency"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -12.34}, "amount"),
        ({"amount": 12}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "12,50"}, "amount"),
        ({"amount": "Infinity"}, "amount"),
        ({"amount": "1" * 17}, "amount"),
        ({"currency": "ABC"}, "currency"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "1899-12-31"}, "date"),
        ({"date": "2201-01-01"}, "date"),
        ({"account_id": "abc"}, "account_id"),
        ({"account_id": 0}, "account_id"),
        ({"account_id": 999999}, "account_id"),
        ({"category_id": 999999}, "category_id"),
        ({"description": "d" * 501}, "description"),
        ({"payee": "p" * 201}, "payee"),
        ({"transfer_id": "0b0f9c8e-7a3c-4d0e-9a57-0c7b7e1e8f11"}, "transfer_id"),
        ({"tenant_id": 1}, "tenant_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    ledger: Ledger, change: dict[str, object], field: str
) -> None:
    response = ledger.owner.post("/transactions", _row(ledger, **change))
    assert response.status_code == 422
    assert any(field in loc for loc in _locs(response))
    assert _count(ledger) == 0


def test_missing_required_field_is_422(ledger: Ledger) -> None:
    row = _row(ledger)
    del row["amount"]
    response = ledger.owner.post("/transactions", row)
    assert response.status_code == 422
    assert any("amount" in loc for loc in _locs(response))


def test_jpy_amounts_must_be_whole(ledger: Ledger) -> None:
    yen = factories.make_account(ledger.world.org, currency="JPY")
    response = ledger.owner.post("/transactions", _row(ledger, account_id=yen.pk, amount="1.5"))
    assert response.status_code == 422
    assert _locs(response) == [["body", "amount"]]
    ok = ledger.owner.post("/transactions", _row(ledger, account_id=yen.pk, amount="-1500"))
    assert ok.json()["amount"] == "-1500"
    assert ok.json()["currency"] == "JPY"


def test_another_tenants_account_or_category_is_422(ledger: Ledger) -> None:
    stranger = ledger.world.outsider_personal
    their_account = factories.make_account(stranger)
    their_category = factories.make_category(stranger)
    response = ledger.owner.post("/transactions", _row(ledger, account_id=their_account.pk))
    assert response.status_code == 422
    assert _locs(response) == [["body", "account_id"]]
    response = ledger.owner.post("/transactions", _row(ledger, category_id=their_category.pk))
    assert response.status_code == 422
    assert _locs(response) == [["body", "category_id"]]
    assert _count(ledger) == 0
    # and the outsider cannot point at the org's rows either
    response = ledger.outsider.post("/transactions", _row(ledger))
    assert response.status_code == 422


def test_get_patch_delete_keep_rollups_exact(ledger: Ledger) -> None:
    created = ledger.owner.post("/transactions", _row(ledger)).json()
    url = f"/transactions/{created['id']}"
    assert ledger.viewer.get(url).json() == created
    patched = ledger.member.patch(
        url,
        {
            "amount": "40.00",
            "date": "2026-03-31",
            "account_id": ledger.savings.pk,
            "category_id": ledger.salary.pk,
            "payee": "Employer",
        },
    )
    assert patched.status_code == 200
    assert patched.json() == {
        **created,
        "amount": "40.00",
        "date": "2026-03-31",
        "account_id": ledger.savings.pk,
        "category_id": ledger.salary.pk,
        "payee": "Employer",
    }
    rollups_match_transactions(ledger.world.org)
    assert ledger.member.patch(url, {"category_id": None}).json()["category_id"] is None
    rollups_match_transactions(ledger.world.org)
    assert ledger.member.delete(url).status_code == 204
    assert ledger.member.get(url).status_code == 404
    rollups_match_transactions(ledger.world.org)


def test_patch_validates_like_create(ledger: Ledger) -> None:
    txn = factories.make_transaction(ledger.world.org, ledger.checking)
    url = f"/transactions/{txn.pk}"
    eur = factories.make_account(ledger.world.org, currency="EUR")
    theirs = factories.make_account(ledger.world.outsider_personal)
    cases = [
        ({"amount": "0.001"}, ["body", "amount"]),
        ({"amount": None}, ["body", "amount"]),
        ({"currency": "EUR"}, ["body", "currency"]),
        ({"account_id": eur.pk}, ["body", "currency"]),
        ({"account_id": theirs.pk}, ["body", "account_id"]),
        ({"category_id": 999999}, ["body", "category_id"]),
    ]
    for change, loc in cases:
        response = ledger.owner.patch(url, change)
        assert response.status_code == 422, change
        assert _locs(response) == [loc], change
    moved = ledger.owner.patch(url, {"account_id": eur.pk, "currency": "EUR"})
    assert moved.json()["currency"] == "EUR"
    rollups_match_transactions(ledger.world.org)


def test_outsider_and_viewer(ledger: Ledger) -> None:
    txn = factories.make_transaction(ledger.world.org, ledger.checking)
    url = f"/transactions/{txn.pk}"
    assert ledger.outsider.get(url).status_code == 404
    assert ledger.outsider.patch(url, {"payee": "x"}).status_code == 404
    assert ledger.outsider.delete(url).status_code == 404
    assert ledger.outsider.get("/transactions").json()["count"] == 0
    assert ledger.viewer.post("/transactions", _row(ledger)).status_code == 403
    assert ledger.viewer.patch(url, {"payee": "x"}).status_code == 403
    assert ledger.viewer.delete(url).status_code == 403
    assert _count(ledger) == 1


def _ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()["items"]]


def test_list_filters_and_ordering(ledger: Ledger) -> None:
    org = ledger.world.org
    make = factories.make_transaction
    old = make(org, ledger.checking, date=date(2026, 1, 1), payee="Bakery")
    mid = make(org, ledger.savings, date=date(2026, 2, 1), category=ledger.groceries)
    new_a = make(org, ledger.checking, date=date(2026, 3, 1), description="Coffee BEANS")
    new_b = make(org, ledger.checking, date=date(2026, 3, 1), amount=Decimal("5.00"))
    client = ledger.viewer
    assert _ids(client.get("/transactions")) == [new_b.pk, new_a.pk, mid.pk, old.pk]
    assert _ids(client.get(f"/transactions?account_id={ledger.savings.pk}")) == [mid.pk]
    assert _ids(client.get(f"/transactions?category_id={ledger.groceries.pk}")) == [mid.pk]
    assert _ids(client.get("/transactions?start=2026-02-01&end=2026-02-28")) == [mid.pk]
    assert _ids(client.get("/transactions?start=2026-03-01")) == [new_b.pk, new_a.pk]
    assert _ids(client.get("/transactions?end=2026-01-31")) == [old.pk]
    assert _ids(client.get("/transactions?q=beans")) == [new_a.pk]
    assert _ids(client.get("/transactions?q=bakery")) == [old.pk]
    page = client.get("/transactions?limit=2&offset=1").json()
    assert page["count"] == 4
    assert [item["id"] for item in page["items"]] == [new_a.pk, mid.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-13-01", "start"),
        ("end=1800-01-01", "end"),
        ("start=2026-03-01&end=2026-02-01", "end"),
        ("account_id=abc", "account_id"),
        ("limit=501", "limit"),
    ],
)
def test_bad_filters_are_422(ledger: Ledger, query: str, field: str) -> None:
    response = ledger.owner.get(f"/transactions?{query}")
    assert response.status_code == 422
    assert any(field in loc for loc in _locs(response))


def test_a_failing_rollup_write_leaves_no_transaction(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from findash.ledger import services

    def exploding(**_: object) -> None:
        raise OperationalError("lost connection while writing rollups")

    monkeypatch.setattr(services.transactions, "rollups_apply", exploding)
    ledger.owner.client.raise_request_exception = False
    response = ledger.owner.post("/transactions", _row(ledger))
    assert response.status_code == 503
    assert "detail" in response.json()
    transfer = {
        "from_account_id": ledger.checking.pk,
        "to_account_id": ledger.savings.pk,
        "date": "2026-01-01",
        "amount": "5.00",
    }
    assert ledger.owner.post("/transfers", transfer).status_code == 503
    assert _count(ledger) == 0
