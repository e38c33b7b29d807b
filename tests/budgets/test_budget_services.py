"""Budget writes mark the tenant's data as changed so cached dashboards go stale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from findash.budgets import services
from findash.common.errors import InvalidInput
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.versioning import tenant_data_version
from tests import factories
from tests.conftest import World


def test_every_budget_write_bumps_the_tenant_data_version(world: World) -> None:
    cat = factories.make_category(world.org)
    other_tenant_version = tenant_data_version(world.outsider_personal.pk)
    with tenant_scope(world.org):
        before = tenant_data_version(world.org.pk)
        budget = services.budget_create(tenant=world.org, category_id=cat.pk, amount=Decimal(5))
        after_create = tenant_data_version(world.org.pk)
        services.budget_update(
            tenant=world.org, budget_id=budget.pk, changes={"amount": Decimal(6)}
        )
        after_update = tenant_data_version(world.org.pk)
        services.budget_delete(tenant=world.org, budget_id=budget.pk)
        after_delete = tenant_data_version(world.org.pk)
    assert len({before, after_create, after_update, after_delete}) == 4
    assert tenant_data_version(world.outsider_personal.pk) == other_tenant_version


def test_update_refuses_fields_that_are_not_the_budgets_own(world: World) -> None:
    budget = factories.make_budget(world.org, factories.make_category(world.org))
    with tenant_scope(world.org), pytest.raises(InvalidInput) as raised:
        services.budget_update(
            tenant=world.org,
            budget_id=budget.pk,
            changes={"tenant_id": world.outsider_personal.pk},
        )
    assert raised.value.field == ("tenant_id",)
    budget.refresh_from_db()
    assert budget.tenant_id == world.org.pk
