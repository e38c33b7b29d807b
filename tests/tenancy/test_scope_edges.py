"""The tenant scope is entered once, at the edge; services only require it (fail closed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management.base import BaseCommand, CommandError

from findash.common.errors import InvalidInput, NotFound
from findash.ledger import services
from findash.ledger.models import Account
from findash.tenancy.scope_edges import tenant_command, tenant_task
from findash.tenancy.scoping import (
    CrossTenantWrite,
    TenantScopeMissing,
    current_tenant_or_none,
    tenant_scope,
)
from findash.tenancy.selectors import membership_get, tenant_by_public_id
from findash.tenancy.tenant import Tenant
from tests import factories
from tests.conftest import World


def _create(tenant: Tenant) -> Account:
    return services.account_create(tenant=tenant, name="Cash", type="cash", currency="USD")


def test_a_service_called_outside_any_scope_fails_closed_and_writes_nothing(
    world: World,
) -> None:
    with pytest.raises(TenantScopeMissing):
        _create(world.org)
    assert not Account.objects.unscoped().exists()


def test_a_service_for_one_tenant_in_anothers_scope_is_refused(world: World) -> None:
    with tenant_scope(world.outsider_personal), pytest.raises(CrossTenantWrite):
        _create(world.org)
    assert not Account.objects.unscoped().exists()


def test_a_service_in_its_tenants_scope_writes_for_that_tenant(world: World) -> None:
    with tenant_scope(world.org):
        account = _create(world.org)
    assert Account.objects.unscoped().get().tenant_id == world.org.pk == account.tenant_id


@tenant_task
def _accounts_seen(tenant: Tenant, label: str) -> int:
    """A task body: what it sees is its tenant's rows only."""
    assert current_tenant_or_none() == tenant
    return Account.objects.filter(name__startswith=label).count()


def test_a_tenant_task_takes_an_id_and_runs_in_that_tenants_scope(world: World) -> None:
    factories.make_account(world.org, name="a1")
    factories.make_account(world.org, name="a2")
    factories.make_account(world.outsider_personal, name="a3")
    assert _accounts_seen(world.org.pk, "a") == 2
    assert _accounts_seen(world.outsider_personal.pk, "a") == 1
    assert current_tenant_or_none() is None  # the scope ends with the task
    assert _accounts_seen(999_999, "a") == 0  # a tenant deleted meanwhile is skipped
    assert _accounts_seen.__name__ == "_accounts_seen"  # Celery names the task by it


class _Command(BaseCommand):
    @tenant_command
    def handle(self, tenant: Tenant, options: dict[str, Any]) -> None:
        options["seen"].append((current_tenant_or_none(), Account.objects.count()))
        if options.get("fail") == "input":
            raise InvalidInput(["transactions", 2, "amount"], "amount is too large")
        if options.get("fail") == "missing":
            raise NotFound("account 7 not found")


def test_a_tenant_command_resolves_the_public_id_and_enters_the_scope(world: World) -> None:
    factories.make_account(world.org)
    seen: list[Any] = []
    _Command().handle(tenant=world.org.public_id, seen=seen)
    assert seen == [(world.org, 1)]
    assert current_tenant_or_none() is None


@pytest.mark.parametrize("public_id", ["org_999999", "nobody", ""])
def test_a_tenant_command_names_an_unknown_tenant(world: World, public_id: str) -> None:
    with pytest.raises(CommandError, match="no tenant"):
        _Command().handle(tenant=public_id, seen=[])


@pytest.mark.parametrize(
    ("fail", "message"),
    [("input", "transactions.2.amount: amount is too large"), ("missing", "account 7 not found")],
)
def test_a_tenant_command_reports_domain_errors_as_command_errors(
    world: World, fail: str, message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        _Command().handle(tenant=world.org.public_id, seen=[], fail=fail)
    assert str(raised.value) == message


def test_one_lookup_turns_a_public_id_into_a_tenant_or_a_membership(world: World) -> None:
    assert tenant_by_public_id(public_id=world.org.public_id) == world.org
    assert tenant_by_public_id(public_id="org_999999") is None
    assert tenant_by_public_id(public_id="org-1") is None
    membership = membership_get(user=world.viewer, public_id=world.org.public_id)
    assert membership is not None and membership.role == "viewer"
    assert membership_get(user=world.outsider, public_id=world.org.public_id) is None
    assert membership_get(user=world.owner, public_id="not-an-id") is None
