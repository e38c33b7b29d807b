"""manage.py reset_tenant_data: one tenant's ledger emptied, nobody else's touched."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import World
from tests.unit.test_dashboard import JANUARY, _seed_ledger


def _summary(world: World, client_user: str) -> dict[str, str]:
    user = getattr(world, client_user)
    tenant = world.org if client_user == "member" else None
    response = world.client(user, tenant).get("/financial/dashboard/summary" + JANUARY)
    assert response.status_code == 200
    data: dict[str, str] = response.json()
    return data


@pytest.mark.django_db
def test_reset_empties_the_tenant_and_leaves_the_others(world: World) -> None:
    _seed_ledger(world.client(world.member, world.org))
    _seed_ledger(world.client(world.outsider))
    before = _summary(world, "outsider")
    assert _summary(world, "member")["net_worth"] == "3034.25"  # served once, so cached

    call_command("reset_tenant_data", world.org.public_id, confirm=world.org.public_id)

    member = world.client(world.member, world.org)
    assert _summary(world, "member")["net_worth"] == "0.00"  # no stale cached answer
    for path in ("/accounts", "/categories", "/transactions", "/budgets"):
        listed = member.get(path).json()
        assert (listed.get("items", listed) if isinstance(listed, dict) else listed) == [], path
    assert _summary(world, "outsider") == before
    assert member.get("/tenant/info").status_code == 200  # the membership stays


@pytest.mark.django_db
def test_a_confirmation_that_differs_deletes_nothing(world: World) -> None:
    _seed_ledger(world.client(world.member, world.org))
    with pytest.raises(CommandError, match="nothing was deleted"):
        call_command("reset_tenant_data", world.org.public_id, confirm="org_999999")
    assert _summary(world, "member")["net_worth"] == "3034.25"
    with pytest.raises(CommandError, match="no tenant"):
        call_command("reset_tenant_data", "org_999999", confirm="org_999999")
