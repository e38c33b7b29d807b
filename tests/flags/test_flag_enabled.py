from __future__ import annotations

from collections.abc import Iterator

import pytest
from openfeature import api
from openfeature.provider.no_op_provider import NoOpProvider

from findash.flags.bucketing import rollout_bucket
from findash.flags.evaluation import flag_default, flag_enabled
from findash.flags.openfeature_provider import provider_register
from findash.flags.services import flag_update
from tests import factories

pytestmark = pytest.mark.django_db


def test_dashboard_is_on_for_everyone_by_default() -> None:
    user = factories.make_user()
    assert flag_enabled("dashboard", tenant=factories.personal_tenant(user)) is True


def test_disabling_turns_it_off_and_an_allow_list_cannot_override_the_kill_switch() -> None:
    tenant = factories.personal_tenant(factories.make_user())
    flag_update(key="dashboard", enabled=False, allow=[tenant.public_id], actor="a")
    assert flag_enabled("dashboard", tenant=tenant) is False


def test_a_partial_rollout_follows_each_tenants_bucket() -> None:
    tenants = [factories.personal_tenant(factories.make_user()) for _ in range(12)]
    flag_update(key="dashboard", rollout=50, actor="a")
    for tenant in tenants:
        bucket = rollout_bucket(group_id="dashboard", tenant_id=tenant.public_id)
        assert flag_enabled("dashboard", tenant=tenant) is (bucket <= 50)


def test_the_deny_list_removes_one_tenant_at_full_rollout() -> None:
    kept = factories.personal_tenant(factories.make_user())
    denied = factories.personal_tenant(factories.make_user())
    flag_update(key="dashboard", deny=[denied.public_id], actor="a")
    assert flag_enabled("dashboard", tenant=kept) is True
    assert flag_enabled("dashboard", tenant=denied) is False


@pytest.fixture
def no_provider() -> Iterator[None]:
    api.set_provider(NoOpProvider())
    yield
    provider_register()


def test_without_a_provider_the_registry_default_answers(no_provider: None) -> None:
    tenant = factories.personal_tenant(factories.make_user())
    flag_update(key="dashboard", enabled=False, actor="a")
    assert flag_enabled("dashboard", tenant=tenant) is True  # the registry's 100 %
    assert flag_default("unknown", tenant_id="org_1") is False
