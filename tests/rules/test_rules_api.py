"""/rules: CRUD per tenant, validation, applied on import and on demand (with a preview)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient
from tests.imports import samples
from tests.imports.conftest import upload
from tests.ledger.conftest import Ledger, rollups_match_transactions


def _rule(ledger: Ledger, **fields: Any) -> dict[str, Any]:
    response = ledger.member.post("/rules", {"pattern": "whole foods", **fields})
    assert response.status_code == 201, response.json()
    return response.json()


def test_crud_and_outsider_sees_nothing(ledger: Ledger) -> None:
    rule = _rule(ledger, category_id=ledger.groceries.pk, amount_max="0")
    assert (rule["field"], rule["match_type"], rule["amount_max"]) == ("any", "contains", "0.00")
    assert ledger.viewer.get("/rules").json()["count"] == 1
    patched = ledger.member.patch(f"/rules/{rule['id']}", {"set_payee": "Whole Foods"})
    assert patched.json()["set_payee"] == "Whole Foods"
    assert ledger.outsider.get(f"/rules/{rule['id']}").status_code == 404
    assert ledger.outsider.patch(f"/rules/{rule['id']}", {"priority": 1}).status_code == 404
    assert ledger.outsider.delete(f"/rules/{rule['id']}").status_code == 404
    assert ledger.outsider.get("/rules").json()["count"] == 0
    assert ledger.viewer.post("/rules", {"pattern": "x", "set_payee": "y"}).status_code == 403
    assert ledger.member.delete(f"/rules/{rule['id']}").status_code == 204
    assert ledger.member.get("/rules").json()["count"] == 0


def test_validation_names_the_field(ledger: Ledger) -> None:
    foreign = factories.make_category(ledger.world.outsider_personal)
    cases = [
        ({"pattern": "(", "match_type": "regex", "set_payee": "x"}, "pattern"),
        ({"pattern": "x"}, "category_id"),
        ({"pattern": "x", "category_id": foreign.pk}, "category_id"),
        ({"pattern": "x", "set_payee": "y", "amount_min": "5", "amount_max": "1"}, "amount_max"),
        ({"pattern": "x", "set_payee": "y", "amount_min": "0.001"}, "amount_min"),
    ]
    for body, field in cases:
        response = ledger.member.post("/rules", body)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["loc"][-1] == field
    assert ledger.member.get("/rules").json()["count"] == 0


def test_rules_apply_on_import_first_match_wins(ledger: Ledger) -> None:
    _rule(
        ledger,
        pattern=r"^whole\s+foods",
        match_type="regex",
        field="payee",
        category_id=ledger.groceries.pk,
        set_payee="Whole Foods",
        priority=10,
    )
    _rule(ledger, pattern="whole", category_id=ledger.salary.pk, priority=20)
    _rule(ledger, pattern="payroll", category_id=ledger.salary.pk, amount_min="1000")
    body = upload(
        ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx"
    ).json()
    assert [(r["payee"], r["category_id"]) for r in body["rows"]] == [
        ("Whole Foods", ledger.groceries.pk),
        ("ACME PAYROLL", ledger.salary.pk),
        ("Whole Foods", ledger.groceries.pk),
        ("NETFLIX.COM", None),
    ]
    with tenant_scope(ledger.world.org):
        assert (
            Transaction.objects.filter(category=ledger.groceries, payee="Whole Foods").count() == 2
        )
    rollups_match_transactions(ledger.world.org)


def test_apply_on_demand_previews_then_writes(ledger: Ledger) -> None:
    txn = factories.make_transaction(
        ledger.world.org, ledger.checking, description="NETFLIX.COM", amount=Decimal("-9.99")
    )
    factories.make_transaction(
        ledger.world.org,
        ledger.checking,
        description="Netflix refund",
        amount=Decimal("9.99"),
        category=ledger.salary,
    )
    factories.make_transaction(
        ledger.world.org, ledger.savings, description="netflix", amount=Decimal("-1.00")
    )
    rule = _rule(ledger, pattern="netflix", category_id=ledger.groceries.pk, amount_max="0")
    preview = ledger.member.post("/rules/apply", {"account_id": ledger.checking.pk}).json()
    assert (preview["dry_run"], preview["changed"]) == (True, 1)
    change = preview["changes"][0]
    assert (
        change["transaction_id"],
        change["rule_id"],
        change["category_id_before"],
        change["category_id_after"],
    ) == (txn.pk, rule["id"], None, ledger.groceries.pk)
    with tenant_scope(ledger.world.org):
        assert Transaction.objects.get(pk=txn.pk).category_id is None
    done = ledger.member.post("/rules/apply", {"dry_run": False}).json()
    assert (done["dry_run"], done["changed"]) == (False, 2)
    with tenant_scope(ledger.world.org):
        assert Transaction.objects.filter(category=ledger.groceries).count() == 2
    rollups_match_transactions(ledger.world.org)
    summary = ledger.owner.get("/financial/dashboard/transactions?start=2026-01-01&end=2026-01-31")
    groceries = [
        c for c in summary.json()["by_category"] if c["category_id"] == ledger.groceries.pk
    ]
    assert groceries[0]["total"] == "10.99"
    again = ledger.member.post("/rules/apply", {"dry_run": False}).json()
    assert again["changed"] == 0


def test_apply_is_per_tenant_and_needs_write(ledger: Ledger) -> None:
    factories.make_transaction(ledger.world.org, ledger.checking, description="netflix")
    _rule(ledger, pattern="netflix", set_payee="Netflix")
    assert ledger.viewer.post("/rules/apply", {"dry_run": False}).status_code == 403
    outsider = ledger.outsider.post("/rules/apply", {"dry_run": False}).json()
    assert outsider["changed"] == 0
    bad = ledger.member.post("/rules/apply", {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/rules"),
        ("post", "/rules"),
        ("get", "/rules/1"),
        ("patch", "/rules/1"),
        ("delete", "/rules/1"),
        ("post", "/rules/apply"),
        ("get", "/imports"),
        ("get", "/imports/1"),
        ("post", "/imports/full"),
    ],
)
def test_every_endpoint_needs_a_token(anon: ApiClient, method: str, path: str) -> None:
    assert getattr(anon, method)(path).status_code == 401
