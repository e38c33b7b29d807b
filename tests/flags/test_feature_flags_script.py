"""scripts/feature-flags.sh argument handling (the database paths run in the two-process test)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "feature-flags.sh"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, check=False, timeout=30
    )


def test_help_lists_every_action() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for action in ("--list", "--show", "--enable", "--disable", "--rollout", "--check", "--plan"):
        assert action in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Usage:"),
        (["--bogus"], "unknown action --bogus"),
        (["--rollout", "dashboard"], "usage: "),
        (["--disable"], "usage: "),
        (["--check", "dashboard"], "usage: "),
        (["nowhere", "--list"], "unknown action nowhere"),
    ],
)
def test_wrong_usage_exits_2_without_touching_anything(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert message in result.stdout + result.stderr
