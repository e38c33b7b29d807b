from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from findash.flags.bucketing import rollout_bucket
from findash.flags.models import Flag, FlagAudit
from findash.flags.services import flag_update
from tests import factories

pytestmark = pytest.mark.django_db


def flags(*args: str) -> str:
    out = StringIO()
    call_command("flags", *args, stdout=out)
    return out.getvalue()


def test_list_shows_registered_flags_with_their_defaults() -> None:
    assert flags("list").split() == ["dashboard", "on", "rollout=100%", "source=default"]


def test_set_rollout_then_show_prints_state_and_audit() -> None:
    assert "rollout= 25%" in flags("--actor", "cli:bob", "set", "dashboard", "--rollout", "25")
    shown = flags("show", "dashboard")
    assert "group_id:    dashboard" in shown
    assert "by cli:bob" in shown
    assert "rollout: 100 -> 25" in shown


def test_disable_and_enable_are_the_kill_switch() -> None:
    assert " off " in flags("disable", "dashboard")
    assert Flag.objects.get(key="dashboard").enabled is False
    assert " on " in flags("enable", "dashboard")
    assert [a.new["enabled"] for a in FlagAudit.objects.order_by("pk")] == [False, True]


def test_set_allow_and_deny_lists() -> None:
    flags("set", "dashboard", "--allow", "org_4,user_3", "--deny", "org_9")
    flag = Flag.objects.get(key="dashboard")
    assert (flag.allow, flag.deny) == (["org_4", "user_3"], ["org_9"])


def test_check_prints_bucket_and_decision() -> None:
    flag_update(key="dashboard", rollout=50, actor="a")
    bucket = rollout_bucket(group_id="dashboard", tenant_id="org_4")
    verdict = "ENABLED" if bucket <= 50 else "DISABLED"
    assert flags("check", "dashboard", "--tenant", "org_4").strip() == (
        f"dashboard for org_4: bucket={bucket} rule=rollout {verdict}"
    )


def test_check_rejects_a_malformed_tenant_id() -> None:
    with pytest.raises(CommandError, match="not a tenant id"):
        flags("check", "dashboard", "--tenant", "acme")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "dashboard", "--rollout", "101"], "rollout: rollout must be between 0 and 100"),
        (["set", "dashboard", "--rollout", "-3"], "between 0 and 100"),
        (["set", "dashboard"], "nothing to set"),
        (["set", "dashboard", "--deny", "org_4,acme"], "deny.1: 'acme' is not a tenant id"),
        (["disable", "dashbord"], "unknown flag 'dashbord'"),
        (["show", "dashbord"], "unknown flag 'dashbord'"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        flags(*args)
    assert not Flag.objects.exists()


def test_a_non_integer_rollout_is_refused_by_the_parser() -> None:
    with pytest.raises(CommandError, match=r"'2\.5' is not a whole number"):
        flags("set", "dashboard", "--rollout", "2.5")
    assert not Flag.objects.exists()


def test_rollout_plan_counts_current_tenants_in_at_each_stage() -> None:
    ids = [factories.personal_tenant(factories.make_user()).public_id for _ in range(30)]
    buckets = [rollout_bucket(group_id="dashboard", tenant_id=t) for t in ids]
    out = flags("rollout", "dashboard", "--plan", "5,25,50,100")
    lines = out.splitlines()
    assert lines[0] == "dashboard: now on at 100% (group_id=dashboard)"
    for stage, line in zip((5, 25, 50, 100), lines[2:], strict=True):
        expected = sum(bucket <= stage for bucket in buckets)
        assert line.split()[:4] == [f"{stage}%", str(expected), "/", "30"]
        assert line.endswith(f"scripts/feature-flags.sh --rollout dashboard {stage}")
    assert not Flag.objects.exists()  # a plan changes nothing


def test_an_unreachable_store_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import DatabaseError

    from findash.flags.management.commands import flags as command_module

    def broken() -> None:
        raise DatabaseError("no such table: flags_flag")

    monkeypatch.setattr(command_module, "flag_list", broken)
    with pytest.raises(CommandError, match="cannot read or write the flag store: no such table"):
        flags("list")
