from __future__ import annotations

from typing import Any

import pytest
from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason
from openfeature.provider.in_memory_provider import InMemoryFlag, InMemoryProvider

from findash.flags.bucketing import rollout_bucket
from findash.flags.evaluation import flag_enabled
from findash.flags.openfeature_provider import provider_register
from findash.flags.services import flag_update
from tests import factories

pytestmark = pytest.mark.django_db


def _ctx(tenant_id: str | None) -> EvaluationContext:
    return EvaluationContext(targeting_key=tenant_id)


def test_the_findash_provider_is_registered_at_start_up() -> None:
    assert api.get_provider_metadata().name == "findash-flags"


def test_application_code_asks_openfeature_with_the_tenant_as_targeting_key() -> None:
    client = api.get_client()
    assert client.get_boolean_value("dashboard", False, _ctx("org_4")) is True
    flag_update(key="dashboard", enabled=False, actor="a")
    assert client.get_boolean_value("dashboard", True, _ctx("org_4")) is False


def test_a_rollout_answer_carries_the_bucket_and_split_reason() -> None:
    flag_update(key="dashboard", rollout=40, actor="a")
    details = api.get_client().get_boolean_details("dashboard", False, _ctx("user_3"))
    bucket = rollout_bucket(group_id="dashboard", tenant_id="user_3")
    assert details.value is (bucket <= 40)
    assert details.reason == Reason.SPLIT
    assert details.flag_metadata["bucket"] == bucket
    assert details.variant == ("on" if bucket <= 40 else "off")


def test_the_kill_switch_reason_is_disabled() -> None:
    flag_update(key="dashboard", enabled=False, actor="a")
    details = api.get_client().get_boolean_details("dashboard", True, _ctx("user_3"))
    assert (details.value, details.reason) == (False, Reason.DISABLED)


def test_an_unknown_flag_answers_the_callers_default_with_flag_not_found() -> None:
    details = api.get_client().get_boolean_details("no-such-flag", True, _ctx("org_4"))
    assert (details.value, details.error_code) == (True, ErrorCode.FLAG_NOT_FOUND)


@pytest.mark.parametrize(
    ("method", "default"),
    [
        ("get_string_details", "x"),
        ("get_integer_details", 7),
        ("get_float_details", 0.5),
        ("get_object_details", {"a": 1}),
    ],
)
def test_flags_are_booleans_other_types_get_their_default(method: str, default: object) -> None:
    details = getattr(api.get_client(), method)("dashboard", default, _ctx("org_4"))
    assert details.value == default
    assert details.error_code == ErrorCode.TYPE_MISMATCH


def in_memory_provider() -> InMemoryProvider:
    """Stands in for an Unleash or flagd provider: 'dashboard' is off for everyone."""
    return InMemoryProvider({"dashboard": InMemoryFlag("off", {"on": True, "off": False})})


def test_flags_provider_setting_swaps_the_provider_for_every_caller(settings: Any) -> None:
    tenant = factories.personal_tenant(factories.make_user())
    settings.FLAGS_PROVIDER = "tests.flags.test_openfeature_provider.in_memory_provider"
    try:
        provider_register()
        assert api.get_provider_metadata().name == "In-Memory Provider"
        assert flag_enabled("dashboard", tenant=tenant) is False  # the gate follows the swap
    finally:
        settings.FLAGS_PROVIDER = ""
        provider_register()
    assert flag_enabled("dashboard", tenant=tenant) is True
