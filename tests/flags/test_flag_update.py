from __future__ import annotations

from typing import Any

import pytest

from findash.common.errors import InvalidInput, NotFound
from findash.flags.models import Flag, FlagAudit, FlagsVersion
from findash.flags.services import flag_update

pytestmark = pytest.mark.django_db


def test_the_first_change_creates_the_row_from_the_registry_and_audits_it() -> None:
    flag = flag_update(key="dashboard", rollout=25, actor="cli:alice")
    assert (flag.enabled, flag.rollout, flag.group_id, flag.updated_by) == (
        True,
        25,
        "dashboard",
        "cli:alice",
    )
    audit = FlagAudit.objects.get()
    assert audit.actor == "cli:alice"
    assert audit.old is not None
    assert (audit.old["rollout"], audit.new["rollout"]) == (100, 25)


def test_every_change_is_audited_old_to_new_and_bumps_the_version() -> None:
    flag_update(key="dashboard", rollout=5, actor="a")
    first = FlagsVersion.objects.get().token
    flag_update(key="dashboard", enabled=False, actor="b")
    assert FlagsVersion.objects.get().token != first
    latest = FlagAudit.objects.first()
    assert latest is not None
    assert (latest.actor, latest.old["enabled"], latest.new["enabled"]) == ("b", True, False)
    assert latest.new["rollout"] == 5


def test_a_change_to_the_same_state_writes_nothing() -> None:
    flag_update(key="dashboard", rollout=50, actor="a")
    token = FlagsVersion.objects.get().token
    flag_update(key="dashboard", rollout=50, actor="b")
    assert FlagAudit.objects.count() == 1
    assert FlagsVersion.objects.get().token == token


def test_allow_and_deny_lists_are_cleaned_and_stored() -> None:
    flag = flag_update(
        key="dashboard", allow=["org_4", "user_3", "org_4"], deny=["user_9"], actor="a"
    )
    assert flag.allow == ["org_4", "user_3"]
    assert flag.deny == ["user_9"]


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"rollout": 101}, ["rollout"]),
        ({"rollout": -1}, ["rollout"]),
        ({"rollout": 12.5}, ["rollout"]),
        ({"rollout": "25"}, ["rollout"]),
        ({"rollout": True}, ["rollout"]),
        ({"enabled": "yes"}, ["enabled"]),
        ({"allow": ["org_4", "tenant-7"]}, ["allow", 1]),
        ({"deny": "org_4"}, ["deny"]),
        ({"allow": ["org_4"], "deny": ["org_4"]}, ["allow"]),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    changes: dict[str, Any], loc: list[Any]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        flag_update(key="dashboard", actor="a", **changes)
    assert list(caught.value.field) == loc
    assert not Flag.objects.exists()
    assert not FlagAudit.objects.exists()
    assert not FlagsVersion.objects.exists()


def test_an_unknown_key_is_not_found_and_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match=r"unknown flag 'dashbaord' .*dashboard"):
        flag_update(key="dashbaord", enabled=False, actor="a")
    assert not Flag.objects.exists()


def test_a_change_is_logged_with_the_actor_and_the_fields_that_moved(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("INFO", logger="findash.flags.services"):
        flag_update(key="dashboard", enabled=False, actor="cli:carol")
    assert "flag dashboard changed by cli:carol: {'enabled': [True, False]}" in caplog.text
