from __future__ import annotations

from findash.flags.bucketing import rollout_bucket
from findash.flags.state import FlagState, flag_decide


def _state(**fields: object) -> FlagState:
    base: dict[str, object] = {"key": "dashboard", "enabled": True, "rollout": 100}
    base.update(fields)
    base.setdefault("group_id", base["key"])
    return FlagState(**base)  # type: ignore[arg-type]


def test_the_kill_switch_beats_the_allow_list() -> None:
    decision = flag_decide(_state(enabled=False, allow=frozenset({"org_4"})), tenant_id="org_4")
    assert (decision.enabled, decision.reason) == (False, "disabled")


def test_deny_beats_allow_and_a_full_rollout() -> None:
    state = _state(allow=frozenset({"org_4"}), deny=frozenset({"org_4"}))
    assert flag_decide(state, tenant_id="org_4").enabled is False


def test_allow_lets_a_tenant_in_at_zero_percent() -> None:
    decision = flag_decide(_state(rollout=0, allow=frozenset({"user_3"})), tenant_id="user_3")
    assert (decision.enabled, decision.reason) == (True, "allowed")
    assert flag_decide(_state(rollout=0), tenant_id="user_3").enabled is False


def test_a_rollout_decision_reports_the_bucket() -> None:
    decision = flag_decide(_state(rollout=50), tenant_id="org_4")
    bucket = rollout_bucket(group_id="dashboard", tenant_id="org_4")
    assert decision.bucket == bucket
    assert decision.enabled is (bucket <= 50)


def test_no_tenant_means_not_in() -> None:
    assert flag_decide(_state(), tenant_id=None).enabled is False
    assert flag_decide(_state(), tenant_id="").reason == "no-tenant"
