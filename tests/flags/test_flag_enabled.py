from __future__ import annotations

from collections.abc import Iterator

import pytest
from openfeature import api
from openfeature.provider.no_op_provider import NoOpProvider

from findash.flags.evaluation import flag_default, flag_enabled
from findash.flags.openfeature_provider import provider_register
from findash.flags.services import flag_update
from tests import factories
from tests.flags.murmur import expected_bucket

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
        bucket = expected_bucket("dashboard", tenant.public_id)
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


def test_remembered_decisions_follow_every_change_of_the_flag() -> None:
    tenants = [factories.personal_tenant(factories.make_user()) for _ in range(6)]
    for rollout in (100, 0, 50, 100):
        flag_update(key="dashboard", rollout=rollout, actor="a")
        for _ in range(2):  # the second answer comes from the memo
            for tenant in tenants:
                bucket = expected_bucket("dashboard", tenant.public_id)
                assert flag_enabled("dashboard", tenant=tenant) is (bucket <= rollout)
    flag_update(key="dashboard", enabled=False, actor="a")
    assert not any(flag_enabled("dashboard", tenant=tenant) for tenant in tenants)


def test_openfeature_hooks_see_every_evaluation() -> None:
    """With a hook registered the SDK answers, so the hook is never skipped."""
    from openfeature.hook import Hook

    seen: list[str] = []

    class Recorder(Hook):
        def before(self, hook_context: object, hints: object) -> None:
            seen.append(getattr(hook_context, "flag_key", ""))

    tenant = factories.personal_tenant(factories.make_user())
    api.add_hooks([Recorder()])
    try:
        assert flag_enabled("dashboard", tenant=tenant) is True
        assert flag_enabled("dashboard", tenant=tenant) is True
    finally:
        api.clear_hooks()
    assert seen == ["dashboard", "dashboard"]
