"""The budget admin lists every tenant's budgets with the tenant shown."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.conftest import World


def _staff_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-pw-pw-pw"))
    return client


def test_changelist_shows_budgets_of_all_tenants_with_their_tenant(world: World) -> None:
    factories.make_budget(world.org, factories.make_category(world.org, name="Groceries"))
    theirs = factories.make_category(world.outsider_personal, name="Petrol")
    factories.make_budget(world.outsider_personal, theirs)
    page = _staff_client().get("/admin/budgets/budget/").content.decode()
    assert "Groceries" in page and "Petrol" in page
    assert world.org.public_id in page and world.outsider_personal.public_id in page


def test_change_form_opens_without_a_tenant_scope(world: World) -> None:
    budget = factories.make_budget(world.org, factories.make_category(world.org, name="Rent"))
    response = _staff_client().get(f"/admin/budgets/budget/{budget.pk}/change/")
    assert response.status_code == 200
    assert "Rent" in response.content.decode()


def test_change_form_offers_only_the_budgets_own_tenants_categories(world: World) -> None:
    budget = factories.make_budget(world.org, factories.make_category(world.org, name="Rent"))
    factories.make_category(world.outsider_personal, name="Petrol")
    page = _staff_client().get(f"/admin/budgets/budget/{budget.pk}/change/").content.decode()
    assert "Petrol" not in page


def test_change_form_saves_within_the_budgets_tenant(world: World) -> None:
    budget = factories.make_budget(world.org, factories.make_category(world.org))
    form = {
        "tenant": world.org.pk,
        "category": budget.category_id,
        "amount": "321.00",
        "currency": "USD",
        "period": "monthly",
        "alert_threshold": "90",
        "rollover": "full",
        "start_date": "2026-01-01",
    }
    response = _staff_client().post(f"/admin/budgets/budget/{budget.pk}/change/", form)
    assert response.status_code == 302
    budget.refresh_from_db()
    assert (budget.amount, budget.rollover) == (Decimal("321.00"), "full")


def test_budgets_are_not_added_in_the_admin(world: World) -> None:
    assert _staff_client().get("/admin/budgets/budget/add/").status_code == 403
