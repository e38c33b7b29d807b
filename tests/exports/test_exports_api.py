"""/exports: per-tenant streamed downloads; full.json restores to an identical dashboard."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient, World
from tests.exports.random_tenant import build

PERIODS = [
    "start=2026-01-01&end=2026-12-31",
    "start=2026-03-10&end=2026-06-30",
    "start=2026-05-01&end=2026-05-31",
]


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _restore(client: ApiClient, data: bytes) -> Any:
    form = {"file": SimpleUploadedFile("full.json", data)}
    return client.client.post("/imports/full", form, **client.headers)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_ids(item)
            for key, item in value.items()
            if key not in ("id", "created_at", "generated_at") and not key.endswith("_id")
        }
    if isinstance(value, list):
        return sorted((_without_ids(item) for item in value), key=json.dumps)
    return value


def test_csv_export_lists_only_the_tenants_transactions(world: World) -> None:
    account = factories.make_account(world.org, name="=HYPERLINK(1)")
    factories.make_transaction(world.org, account, description="+cmd", payee="Shop")
    factories.make_transaction(
        world.outsider_personal, factories.make_account(world.outsider_personal)
    )
    text = _body(world.client(world.viewer, world.org).get("/exports/transactions.csv")).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert (rows[0]["amount"], rows[0]["account"], rows[0]["description"]) == (
        "-10.00",
        "'=HYPERLINK(1)",
        "'+cmd",
    )
    outsider = _body(world.client(world.outsider).get("/exports/transactions.csv")).decode()
    assert len(list(csv.DictReader(io.StringIO(outsider)))) == 1
    assert "HYPERLINK" not in outsider
    foreign = world.client(world.outsider).get(f"/exports/transactions.csv?account_id={account.pk}")
    assert foreign.status_code == 422


def test_exports_need_authentication(anon: ApiClient) -> None:
    for path in ("transactions.csv", "full.json", "journal.ledger"):
        assert anon.get(f"/exports/{path}").status_code == 401


def test_full_json_restores_into_an_empty_tenant_with_an_identical_dashboard(world: World) -> None:
    build(world.org, seed=7)
    source = world.client(world.owner, world.org)
    exported = _body(source.get("/exports/full.json"))
    target_tenant = factories.make_org(world.owner, "Restored", base_currency="EUR")
    target = world.client(world.owner, target_tenant)
    response = _restore(target, exported)
    assert response.status_code == 201, response.json()
    assert response.json()["transactions"] == 400 + 2 * 21
    for period in PERIODS:
        before = source.get(f"/financial/dashboard?{period}").json()
        after = target.get(f"/financial/dashboard?{period}").json()
        assert after["currency"] == "USD"
        assert _without_ids(after) == _without_ids(before), period
    assert _without_ids(json.loads(_body(target.get("/exports/full.json")))["rules"]) == (
        _without_ids(json.loads(exported)["rules"])
    )
    again = _restore(target, exported)
    assert again.status_code == 409


def test_restore_rejects_a_bad_file_and_writes_nothing(world: World) -> None:
    fresh = factories.make_org(world.owner, "Fresh")
    client = world.client(world.owner, fresh)
    good = {
        "format": "findash.full",
        "version": 1,
        "tenant": {"base_currency": "USD"},
        "accounts": [
            {"id": 1, "name": "A", "type": "checking", "currency": "USD", "opening_balance": "1.00"}
        ],
        "transactions": [
            {"account_id": 1, "date": "2026-01-01", "amount": "1.00", "currency": "USD"}
        ],
    }
    bad_ref = {**good, "transactions": [{**good["transactions"][0], "account_id": 2}]}
    bad_amount = {**good, "transactions": [{**good["transactions"][0], "amount": "1.001"}]}
    bad_rate = {
        **good,
        "exchange_rates": [{"date": "2026-01-01", "base": "EUR", "quote": "USD", "rate": "1e12"}],
    }
    cases = [
        (b"{nope", ["body", "file", "line 1"]),
        (b'{"format": "something else"}', ["body", "file", "format"]),
        (json.dumps(bad_ref).encode(), ["body", "file", "transactions", 0, "account_id"]),
        (json.dumps(bad_amount).encode(), ["body", "file", "transactions", 0, "amount"]),
        (json.dumps(bad_rate).encode(), ["body", "file", "exchange_rates", 0, "rate"]),
    ]
    for data, loc in cases:
        response = _restore(client, data)
        assert response.status_code == 422, data
        assert response.json()["detail"][0]["loc"] == loc
    with tenant_scope(fresh):
        assert not Transaction.objects.exists()
    assert client.get("/accounts").json()["count"] == 0
    assert _restore(client, json.dumps(good).encode()).status_code == 201
    viewer = world.client(world.viewer, world.org)
    assert _restore(viewer, json.dumps(good).encode()).status_code == 403
