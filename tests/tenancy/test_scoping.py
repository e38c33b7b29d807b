from __future__ import annotations

import pytest

from findash.ledger.models import Account
from findash.tenancy.scoping import CrossTenantWrite, TenantScopeMissing, tenant_scope
from tests import factories
from tests.conftest import World


def test_scoped_manager_fails_closed_without_tenant(world: World) -> None:
    factories.make_account(world.org)
    with pytest.raises(TenantScopeMissing):
        list(Account.objects.all())


def test_scope_shows_only_the_acting_tenants_rows(world: World) -> None:
    mine = factories.make_account(world.org, name="mine")
    factories.make_account(world.outsider_personal, name="theirs")
    with tenant_scope(world.org):
        assert [a.pk for a in Account.objects.all()] == [mine.pk]
    assert Account.objects.unscoped().count() == 2


def test_saving_another_tenants_row_in_scope_raises(world: World) -> None:
    theirs = factories.make_account(world.outsider_personal)
    with tenant_scope(world.org), pytest.raises(CrossTenantWrite):
        theirs.name = "stolen"
        theirs.save()


def test_version_endpoint_answers_without_auth(anon) -> None:  # type: ignore[no-untyped-def]
    body = anon.get("/version").json()
    assert set(body) == {"release", "git_sha", "build_time", "environment"}
