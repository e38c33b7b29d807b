"""Every command the guide shows is run as ./path: the scripts must be executable."""

from __future__ import annotations

import os

import pytest

from tests.shipping.repo_files import ROOT

SCRIPT_DIRS = ("ci", "scripts", "monitoring", "deploy", "security", "performance")


def shipped_scripts() -> list[str]:
    found = []
    for folder in SCRIPT_DIRS:
        for path in sorted((ROOT / folder).rglob("*.sh")):
            if "deploy/run" not in path.as_posix():
                found.append(str(path.relative_to(ROOT)))
    return found


def test_the_shipping_scripts_exist() -> None:
    scripts = shipped_scripts()
    for required in ("ci/lint.sh", "ci/test.sh", "ci/build.sh", "ci/check-configs.sh"):
        assert required in scripts


@pytest.mark.parametrize("script", shipped_scripts())
def test_script_is_executable_with_a_shebang(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK), f"chmod +x {script}"
    first = path.read_text().splitlines()[0]
    assert first.startswith("#!"), f"{script} has no shebang"
