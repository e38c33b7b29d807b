from __future__ import annotations

from typing import Any

import pytest

from findash.ledger.models import ExchangeRate
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.versioning import tenant_data_version
from tests import factories
from tests.ledger.conftest import Ledger

RATE = {"date": "2026-01-31", "base": "EUR", "quote": "USD", "rate": "1.0834567891"}


def _count(ledger: Ledger) -> int:
    with tenant_scope(ledger.world.org):
        return ExchangeRate.objects.count()


def test_crud(ledger: Ledger) -> None:
    version = tenant_data_version(ledger.world.org.pk)
    created = ledger.member.post("/exchange-rates", RATE)
    assert created.status_code == 201
    body = created.json()
    assert body == {"id": body["id"], **RATE}
    assert tenant_data_version(ledger.world.org.pk) != version
    url = f"/exchange-rates/{body['id']}"
    assert ledger.viewer.get(url).json() == body
    patched = ledger.owner.patch(url, {"rate": "1.1"})
    assert patched.json()["rate"] == "1.1000000000"
    assert ledger.owner.delete(url).status_code == 204
    assert ledger.owner.get(url).status_code == 404


def test_list_filters(ledger: Ledger) -> None:
    org = ledger.world.org
    from datetime import date

    factories.make_rate(org, "EUR", "USD", "1.08", date(2026, 1, 1))
    factories.make_rate(org, "EUR", "USD", "1.09", date(2026, 2, 1))
    factories.make_rate(org, "GBP", "USD", "1.27", date(2026, 2, 1))
    factories.make_rate(ledger.world.outsider_personal, "EUR", "USD", "9", date(2026, 2, 1))
    rates = ledger.viewer.get("/exchange-rates").json()
    assert rates["count"] == 3
    assert [r["rate"] for r in rates["items"]] == ["1.0900000000", "1.2700000000", "1.0800000000"]
    eur = ledger.viewer.get("/exchange-rates?base=EUR&quote=USD&start=2026-01-15").json()
    assert [r["rate"] for r in eur["items"]] == ["1.0900000000"]
    early = ledger.viewer.get("/exchange-rates?end=2026-01-15").json()
    assert early["count"] == 1
    assert ledger.viewer.get("/exchange-rates?base=XYZ").status_code == 422


def test_duplicate_is_409(ledger: Ledger) -> None:
    assert ledger.owner.post("/exchange-rates", RATE).status_code == 201
    again = ledger.owner.post("/exchange-rates", {**RATE, "rate": "2"})
    assert again.status_code == 409
    other = ledger.owner.post("/exchange-rates", {**RATE, "date": "2026-02-01"}).json()
    moved = ledger.owner.patch(f"/exchange-rates/{other['id']}", {"date": RATE["date"]})
    assert moved.status_code == 409
    assert _count(ledger) == 2


def test_another_tenant_may_hold_the_same_rate(ledger: Ledger) -> None:
    assert ledger.owner.post("/exchange-rates", RATE).status_code == 201
    assert ledger.outsider.post("/exchange-rates", RATE).status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate": "0"}, "rate"),
        ({"rate": "-1.2"}, "rate"),
        ({"rate": 1.08}, "rate"),
        ({"rate": "1.00000000001"}, "rate"),
        ({"rate": "10000000000"}, "rate"),
        ({"quote": "EUR"}, "quote"),
        ({"base": "EURO"}, "base"),
        ({"quote": "ZZZ"}, "quote"),
        ({"date": "1066-10-14"}, "date"),
        ({"source": "ecb"}, "source"),
    ],
)
def test_bad_rates_are_422(ledger: Ledger, change: dict[str, Any], field: str) -> None:
    response = ledger.owner.post("/exchange-rates", {**RATE, **change})
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["detail"])
    assert _count(ledger) == 0


def test_roles_and_outsider(ledger: Ledger) -> None:
    rate = ledger.owner.post("/exchange-rates", RATE).json()
    url = f"/exchange-rates/{rate['id']}"
    assert ledger.viewer.post("/exchange-rates", RATE).status_code == 403
    assert ledger.viewer.patch(url, {"rate": "2"}).status_code == 403
    assert ledger.outsider.get(url).status_code == 404
    assert ledger.outsider.patch(url, {"rate": "2"}).status_code == 404
    assert ledger.outsider.delete(url).status_code == 404
    assert ledger.outsider.get("/exchange-rates").json()["count"] == 0


def test_duplicate_racing_past_the_check_is_409(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError

    def unique_violation(self: ExchangeRate, *args: object, **kwargs: object) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(ExchangeRate, "save", unique_violation)
    assert ledger.owner.post("/exchange-rates", RATE).status_code == 409
