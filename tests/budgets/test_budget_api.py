"""/budgets: CRUD, validation naming the field, roles and tenant isolation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from findash.budgets.models import Budget
from findash.ledger.models import Category
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World


def _body(category: Category, **fields: Any) -> dict[str, Any]:
    return {"category_id": category.pk, "amount": "400.00", "start_date": "2026-01-01", **fields}


def _fields(response: Any) -> list[str]:
    return [err["loc"][-1] for err in response.json()["detail"]]


def _stored(budget_id: int, tenant: Any) -> Budget:
    with tenant_scope(tenant):
        return Budget.objects.get(pk=budget_id)


def test_create_returns_201_with_defaults_and_money_as_string(world: World) -> None:
    groceries = factories.make_category(world.org, name="Groceries")
    response = world.client(world.member, world.org).post("/budgets", _body(groceries))
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "category_id": groceries.pk,
        "amount": "400.00",
        "currency": "USD",
        "period": "monthly",
        "alert_threshold": "80.00",
        "rollover": "none",
        "start_date": "2026-01-01",
    }
    stored = _stored(body["id"], world.org)
    assert stored.amount == Decimal("400.00")
    assert stored.tenant_id == world.org.pk


def test_create_takes_all_fields(world: World) -> None:
    rent = factories.make_category(world.org, name="Rent")
    response = world.client(world.owner, world.org).post(
        "/budgets",
        _body(
            rent,
            amount="150000",
            currency="JPY",
            alert_threshold="92.5",
            rollover="surplus",
            start_date="2025-06-01",
        ),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["currency"], body["alert_threshold"]) == (
        "150000",
        "JPY",
        "92.50",
    )
    assert (body["rollover"], body["start_date"]) == ("surplus", "2025-06-01")


def test_start_date_defaults_to_first_of_current_month(world: World) -> None:
    cat = factories.make_category(world.org)
    body = {"category_id": cat.pk, "amount": "10.00"}
    response = world.client(world.owner, world.org).post("/budgets", body)
    assert response.status_code == 201
    assert date.fromisoformat(response.json()["start_date"]).day == 1


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": 10}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": "1e30"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "JPY", "amount": "10.50"}, "amount"),
        ({"alert_threshold": 0}, "alert_threshold"),
        ({"alert_threshold": "1000.01"}, "alert_threshold"),
        ({"alert_threshold": "-5"}, "alert_threshold"),
        ({"alert_threshold": "80.123"}, "alert_threshold"),
        ({"alert_threshold": "NaN"}, "alert_threshold"),
        ({"rollover": "sometimes"}, "rollover"),
        ({"period": "weekly"}, "period"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": "1066-10-14"}, "start_date"),
        ({"surprise": 1}, "surprise"),
        ({"category_id": 987654321}, "category_id"),
        ({"category_id": "abc"}, "category_id"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    world: World, fields: dict[str, Any], bad_field: str
) -> None:
    cat = factories.make_category(world.org)
    response = world.client(world.owner, world.org).post("/budgets", _body(cat, **fields))
    assert response.status_code == 422, response.content
    assert bad_field in _fields(response)
    assert Budget.objects.unscoped().count() == 0


def test_threshold_bounds_are_inclusive_of_1000(world: World) -> None:
    cat = factories.make_category(world.org)
    client = world.client(world.owner, world.org)
    assert client.post("/budgets", _body(cat, alert_threshold=1000)).status_code == 201
    assert client.post("/budgets", _body(cat, alert_threshold="0.01")).status_code == 201
    assert client.post("/budgets", _body(cat, amount="0.00")).status_code == 201


def test_income_category_is_rejected(world: World) -> None:
    salary = factories.make_category(world.org, name="Salary", kind=Category.Kind.INCOME)
    response = world.client(world.owner, world.org).post("/budgets", _body(salary))
    assert response.status_code == 422
    assert _fields(response) == ["category_id"]
    assert "income" in response.json()["detail"][0]["msg"]


def test_another_tenants_category_is_422_and_nothing_written(world: World) -> None:
    theirs = factories.make_category(world.outsider_personal)
    response = world.client(world.owner, world.org).post("/budgets", _body(theirs))
    assert response.status_code == 422
    assert _fields(response) == ["category_id"]
    assert Budget.objects.unscoped().count() == 0


def test_malformed_json_is_4xx(world: World) -> None:
    response = world.client(world.owner, world.org).post("/budgets", "{not json")
    assert 400 <= response.status_code < 500
    assert Budget.objects.unscoped().count() == 0


def test_list_is_paginated_and_shows_only_the_acting_tenant(world: World) -> None:
    cat = factories.make_category(world.org)
    mine = [factories.make_budget(world.org, cat, amount=Decimal(n)) for n in range(1, 4)]
    foreign = factories.make_category(world.outsider_personal)
    factories.make_budget(world.outsider_personal, foreign)
    client = world.client(world.viewer, world.org)
    page = client.get("/budgets?limit=2&offset=1").json()
    assert page["count"] == 3
    assert [b["id"] for b in page["items"]] == [mine[1].pk, mine[2].pk]
    everything = client.get("/budgets").json()
    assert [b["id"] for b in everything["items"]] == [b.pk for b in mine]


def test_list_filters_by_category(world: World) -> None:
    food, rent = factories.make_category(world.org), factories.make_category(world.org)
    food_budget = factories.make_budget(world.org, food)
    factories.make_budget(world.org, rent)
    page = world.client(world.owner, world.org).get(f"/budgets?category_id={food.pk}").json()
    assert [b["id"] for b in page["items"]] == [food_budget.pk]


def test_oversize_page_is_422(world: World) -> None:
    response = world.client(world.owner, world.org).get("/budgets?limit=501")
    assert response.status_code == 422
    assert "limit" in _fields(response)


def test_get_by_id(world: World) -> None:
    cat = factories.make_category(world.org)
    budget = factories.make_budget(world.org, cat, rollover="full")
    body = world.client(world.viewer, world.org).get(f"/budgets/{budget.pk}").json()
    assert (body["id"], body["rollover"], body["amount"]) == (budget.pk, "full", "100.00")


def test_another_tenants_budget_is_404_like_a_missing_one(world: World) -> None:
    theirs = factories.make_budget(
        world.outsider_personal, factories.make_category(world.outsider_personal)
    )
    client = world.client(world.owner, world.org)
    for path in (f"/budgets/{theirs.pk}", "/budgets/99999999"):
        assert client.get(path).status_code == 404
        assert client.patch(path, {"amount": "1.00"}).status_code == 404
        assert client.delete(path).status_code == 404
    untouched = _stored(theirs.pk, world.outsider_personal)
    assert untouched.amount == Decimal("100.00")


def test_patch_changes_only_the_fields_sent(world: World) -> None:
    cat, other = factories.make_category(world.org), factories.make_category(world.org)
    budget = factories.make_budget(world.org, cat, alert_threshold=Decimal("75"))
    response = world.client(world.member, world.org).patch(
        f"/budgets/{budget.pk}", {"amount": "250.50", "category_id": other.pk}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["amount"], body["category_id"], body["alert_threshold"]) == (
        "250.50",
        other.pk,
        "75.00",
    )
    stored = _stored(budget.pk, world.org)
    assert (stored.amount, stored.category_id) == (Decimal("250.50"), other.pk)


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"amount": None}, "amount"),
        ({"amount": "-3.00"}, "amount"),
        ({"currency": "JPY"}, "amount"),  # the stored 100.50 has cents JPY does not
        ({"currency": "??"}, "currency"),
        ({"alert_threshold": "0"}, "alert_threshold"),
        ({"rollover": None}, "rollover"),
        ({"id": 5}, "id"),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(
    world: World, fields: dict[str, Any], bad_field: str
) -> None:
    cat = factories.make_category(world.org)
    budget = factories.make_budget(world.org, cat, amount=Decimal("100.50"))
    response = world.client(world.owner, world.org).patch(f"/budgets/{budget.pk}", fields)
    assert response.status_code == 422, response.content
    assert bad_field in _fields(response)
    stored = _stored(budget.pk, world.org)
    assert (stored.amount, stored.currency) == (Decimal("100.50"), "USD")


def test_patch_to_another_tenants_or_income_category_is_422(world: World) -> None:
    cat = factories.make_category(world.org)
    budget = factories.make_budget(world.org, cat)
    theirs = factories.make_category(world.outsider_personal)
    income = factories.make_category(world.org, kind=Category.Kind.INCOME)
    client = world.client(world.owner, world.org)
    for target in (theirs, income):
        response = client.patch(f"/budgets/{budget.pk}", {"category_id": target.pk})
        assert response.status_code == 422
        assert _fields(response) == ["category_id"]
    assert _stored(budget.pk, world.org).category_id == cat.pk


def test_delete_is_204_then_404(world: World) -> None:
    budget = factories.make_budget(world.org, factories.make_category(world.org))
    client = world.client(world.owner, world.org)
    assert client.delete(f"/budgets/{budget.pk}").status_code == 204
    assert client.get(f"/budgets/{budget.pk}").status_code == 404
    assert Budget.objects.unscoped().count() == 0


def test_viewer_cannot_write(world: World) -> None:
    cat = factories.make_category(world.org)
    budget = factories.make_budget(world.org, cat)
    client = world.client(world.viewer, world.org)
    assert client.post("/budgets", _body(cat)).status_code == 403
    assert client.patch(f"/budgets/{budget.pk}", {"amount": "1.00"}).status_code == 403
    assert client.delete(f"/budgets/{budget.pk}").status_code == 403
    assert _stored(budget.pk, world.org).amount == Decimal("100.00")


def test_outsider_naming_the_org_is_403_and_anonymous_is_401(world: World, anon: Any) -> None:
    assert world.client(world.outsider, world.org).get("/budgets").status_code == 403
    assert anon.get("/budgets").status_code == 401


def test_outsider_in_own_tenant_sees_none_of_the_orgs_budgets(world: World) -> None:
    factories.make_budget(world.org, factories.make_category(world.org))
    page = world.client(world.outsider).get("/budgets").json()
    assert page == {"items": [], "count": 0}
