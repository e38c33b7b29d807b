from __future__ import annotations

from decimal import Decimal

import pytest

from findash.ledger.models import Account
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.versioning import tenant_data_version
from tests import factories
from tests.ledger.conftest import Ledger

NEW = {"name": "Wallet", "type": "cash", "currency": "EUR", "opening_balance": "25.50"}


def _locs(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [error["loc"] for error in response.json()["detail"]]


def test_create_returns_201_with_every_field(ledger: Ledger) -> None:
    response = ledger.member.post("/accounts", NEW)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "type",
        "currency",
        "opening_balance",
        "is_archived",
        "created_at",
    }
    assert body["opening_balance"] == "25.50"
    assert body["is_archived"] is False
    with tenant_scope(ledger.world.org):
        assert Account.objects.get(pk=body["id"]).opening_balance == Decimal("25.50")


def test_opening_balance_defaults_to_zero(ledger: Ledger) -> None:
    body = ledger.owner.post("/accounts", {"name": "A", "type": "loan", "currency": "USD"}).json()
    assert body["opening_balance"] == "0.00"


def test_list_is_paginated_and_shows_only_the_tenants_accounts(ledger: Ledger) -> None:
    factories.make_account(ledger.world.outsider_personal, name="Theirs")
    body = ledger.viewer.get("/accounts?limit=1").json()
    assert body["count"] == 2
    assert [a["name"] for a in body["items"]] == ["Checking"]
    second = ledger.viewer.get("/accounts?limit=1&offset=1").json()
    assert [a["name"] for a in second["items"]] == ["Savings"]


@pytest.mark.parametrize("query", ["limit=501", "limit=0", "limit=-1", "offset=-1", "limit=x"])
def test_bad_pagination_is_422(ledger: Ledger, query: str) -> None:
    response = ledger.owner.get(f"/accounts?{query}")
    assert response.status_code == 422
    assert _locs(response)[0][0] == "query"


def test_huge_offset_is_422_not_500(ledger: Ledger) -> None:
    assert ledger.owner.get(f"/accounts?offset={2**64}").status_code == 422


def test_limit_500_is_allowed(ledger: Ledger) -> None:
    assert ledger.owner.get("/accounts?limit=500").status_code == 200


def test_get_patch_delete(ledger: Ledger) -> None:
    url = f"/accounts/{ledger.savings.pk}"
    assert ledger.viewer.get(url).json()["name"] == "Savings"
    patched = ledger.owner.patch(url, {"is_archived": True, "opening_balance": "-3.00"})
    assert patched.status_code == 200
    assert patched.json()["is_archived"] is True
    assert patched.json()["opening_balance"] == "-3.00"
    assert patched.json()["name"] == "Savings"  # untouched fields stay
    assert ledger.owner.delete(url).status_code == 204
    assert ledger.owner.get(url).status_code == 404


def test_writes_bump_the_tenants_data_version(ledger: Ledger) -> None:
    tenant_id = ledger.world.org.pk
    before = tenant_data_version(tenant_id)
    ledger.owner.patch(f"/accounts/{ledger.savings.pk}", {"opening_balance": "9.00"})
    assert tenant_data_version(tenant_id) != before


def test_delete_with_transactions_is_409(ledger: Ledger) -> None:
    factories.make_transaction(ledger.world.org, ledger.checking)
    response = ledger.owner.delete(f"/accounts/{ledger.checking.pk}")
    assert response.status_code == 409
    assert "transactions" in response.json()["detail"]


def test_currency_change_with_transactions_is_409(ledger: Ledger) -> None:
    factories.make_transaction(ledger.world.org, ledger.checking)
    response = ledger.owner.patch(f"/accounts/{ledger.checking.pk}", {"currency": "EUR"})
    assert response.status_code == 409


def test_currency_change_without_transactions_is_allowed(ledger: Ledger) -> None:
    response = ledger.owner.patch(f"/accounts/{ledger.savings.pk}", {"currency": "JPY"})
    assert response.status_code == 200
    assert response.json()["currency"] == "JPY"


def test_currency_change_rechecks_the_opening_balance(ledger: Ledger) -> None:
    ledger.owner.patch(f"/accounts/{ledger.savings.pk}", {"opening_balance": "1.50"})
    response = ledger.owner.patch(f"/accounts/{ledger.savings.pk}", {"currency": "JPY"})
    assert response.status_code == 422
    assert _locs(response) == [["body", "opening_balance"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"opening_balance": 25.5}, "opening_balance"),
        ({"opening_balance": "1.005"}, "opening_balance"),
        ({"opening_balance": "abc"}, "opening_balance"),
        ({"opening_balance": "NaN"}, "opening_balance"),
        ({"opening_balance": "1e20"}, "opening_balance"),
        ({"currency": "XXX"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"type": "piggy_bank"}, "type"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\x00"}, "name"),
        ({"color": "red"}, "color"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    ledger: Ledger, change: dict[str, object], field: str
) -> None:
    response = ledger.owner.post("/accounts", {**NEW, **change})
    assert response.status_code == 422
    assert any(field in loc for loc in _locs(response))
    with tenant_scope(ledger.world.org):
        assert Account.objects.count() == 2


def test_jpy_opening_balance_must_be_whole(ledger: Ledger) -> None:
    response = ledger.owner.post("/accounts", {**NEW, "currency": "JPY", "opening_balance": "1.5"})
    assert response.status_code == 422
    assert _locs(response) == [["body", "opening_balance"]]


def test_patch_null_on_required_field_is_422(ledger: Ledger) -> None:
    response = ledger.owner.patch(f"/accounts/{ledger.savings.pk}", {"name": None})
    assert response.status_code == 422
    assert _locs(response) == [["body", "name"]]


def test_malformed_json_is_4xx(ledger: Ledger) -> None:
    response = ledger.owner.post("/accounts", "{not json")
    assert 400 <= response.status_code < 500


def test_viewer_cannot_write(ledger: Ledger) -> None:
    assert ledger.viewer.post("/accounts", NEW).status_code == 403
    assert ledger.viewer.patch(f"/accounts/{ledger.savings.pk}", {"name": "x"}).status_code == 403
    assert ledger.viewer.delete(f"/accounts/{ledger.savings.pk}").status_code == 403


def test_anonymous_is_401(anon) -> None:  # type: ignore[no-untyped-def]
    assert anon.get("/accounts").status_code == 401


def test_outsider_sees_404_for_every_method(ledger: Ledger) -> None:
    url = f"/accounts/{ledger.savings.pk}"
    assert ledger.outsider.get(url).status_code == 404
    assert ledger.outsider.patch(url, {"name": "mine"}).status_code == 404
    assert ledger.outsider.delete(url).status_code == 404
    assert ledger.outsider.get("/accounts").json() == {"items": [], "count": 0}
    with tenant_scope(ledger.world.org):
        assert Account.objects.get(pk=ledger.savings.pk).name == "Savings"


@pytest.mark.parametrize("path", ["accounts", "categories", "transactions", "exchange-rates"])
@pytest.mark.parametrize("missing_id", ["999999", str(2**70)])
def test_missing_ids_are_404_on_every_resource(ledger: Ledger, path: str, missing_id: str) -> None:
    assert ledger.owner.get(f"/{path}/{missing_id}").status_code == 404
    assert ledger.owner.delete(f"/{path}/{missing_id}").status_code == 404


def test_schema_account_types_match_the_model() -> None:
    from typing import get_args

    from findash.ledger.schemas import AccountType

    assert set(get_args(AccountType)) == set(Account.Type.values)


def test_delete_racing_a_new_transaction_is_409(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError

    def foreign_key_violation(self: Account, *args: object, **kwargs: object) -> None:
        raise IntegrityError("insert or update violates foreign key constraint")

    monkeypatch.setattr(Account, "delete", foreign_key_violation)
    assert ledger.owner.delete(f"/accounts/{ledger.savings.pk}").status_code == 409
