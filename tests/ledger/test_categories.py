from __future__ import annotations

from findash.ledger.models import Category
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.ledger.conftest import Ledger


def _locs(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [error["loc"] for error in response.json()["detail"]]


def test_crud(ledger: Ledger) -> None:
    created = ledger.member.post(
        "/categories", {"name": "Fruit", "kind": "expense", "parent_id": ledger.groceries.pk}
    )
    assert created.status_code == 201
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Fruit",
        "kind": "expense",
        "parent_id": ledger.groceries.pk,
    }
    url = f"/categories/{body['id']}"
    assert ledger.viewer.get(url).json()["name"] == "Fruit"
    assert ledger.viewer.get("/categories").json()["count"] == 3
    patched = ledger.owner.patch(url, {"name": "Fresh fruit", "parent_id": None})
    assert patched.json() == {**body, "name": "Fresh fruit", "parent_id": None}
    assert ledger.owner.delete(url).status_code == 204
    assert ledger.owner.get(url).status_code == 404


def test_parent_of_another_kind_is_422(ledger: Ledger) -> None:
    response = ledger.owner.post(
        "/categories", {"name": "Bonus", "kind": "expense", "parent_id": ledger.salary.pk}
    )
    assert response.status_code == 422
    assert _locs(response) == [["body", "parent_id"]]


def test_parent_of_another_tenant_is_422(ledger: Ledger) -> None:
    theirs = factories.make_category(ledger.world.outsider_personal)
    response = ledger.owner.post(
        "/categories", {"name": "x", "kind": "expense", "parent_id": theirs.pk}
    )
    assert response.status_code == 422
    assert _locs(response) == [["body", "parent_id"]]


def test_cycles_are_rejected(ledger: Ledger) -> None:
    child = factories.make_category(ledger.world.org, parent=ledger.groceries)
    grandchild = factories.make_category(ledger.world.org, parent=child)
    response = ledger.owner.patch(
        f"/categories/{ledger.groceries.pk}", {"parent_id": grandchild.pk}
    )
    assert response.status_code == 422
    assert _locs(response) == [["body", "parent_id"]]
    self_parent = ledger.owner.patch(f"/categories/{child.pk}", {"parent_id": child.pk})
    assert self_parent.status_code == 422
    with tenant_scope(ledger.world.org):
        assert Category.objects.get(pk=ledger.groceries.pk).parent_id is None


def test_kind_change_with_children_is_422(ledger: Ledger) -> None:
    factories.make_category(ledger.world.org, parent=ledger.groceries)
    response = ledger.owner.patch(f"/categories/{ledger.groceries.pk}", {"kind": "income"})
    assert response.status_code == 422
    assert _locs(response) == [["body", "kind"]]


def test_kind_change_without_children_is_allowed(ledger: Ledger) -> None:
    response = ledger.owner.patch(f"/categories/{ledger.groceries.pk}", {"kind": "income"})
    assert response.json()["kind"] == "income"


def test_delete_in_use_is_409(ledger: Ledger) -> None:
    factories.make_transaction(ledger.world.org, ledger.checking, category=ledger.groceries)
    response = ledger.owner.delete(f"/categories/{ledger.groceries.pk}")
    assert response.status_code == 409
    child_parent = ledger.salary
    factories.make_category(ledger.world.org, kind="income", parent=child_parent)
    assert ledger.owner.delete(f"/categories/{child_parent.pk}").status_code == 409


def test_bad_kind_and_unknown_field_are_422(ledger: Ledger) -> None:
    assert ledger.owner.post("/categories", {"name": "x", "kind": "gift"}).status_code == 422
    response = ledger.owner.post("/categories", {"name": "x", "kind": "income", "icon": "$"})
    assert response.status_code == 422
    assert any("icon" in loc for loc in _locs(response))


def test_roles_and_outsider(ledger: Ledger) -> None:
    url = f"/categories/{ledger.groceries.pk}"
    assert ledger.viewer.post("/categories", {"name": "x", "kind": "income"}).status_code == 403
    assert ledger.viewer.delete(url).status_code == 403
    assert ledger.outsider.get(url).status_code == 404
    assert ledger.outsider.patch(url, {"name": "x"}).status_code == 404
    assert ledger.outsider.delete(url).status_code == 404
    assert ledger.outsider.get("/categories").json()["count"] == 0


def test_delete_used_by_a_budget_is_409(ledger: Ledger) -> None:
    factories.make_budget(ledger.world.org, ledger.groceries)
    response = ledger.owner.delete(f"/categories/{ledger.groceries.pk}")
    assert response.status_code == 409
    assert "budgets" in response.json()["detail"]
    with tenant_scope(ledger.world.org):
        assert Category.objects.filter(pk=ledger.groceries.pk).exists()
