"""deploy/monitoring passes promtool: config, rules, rule unit tests, Grafana queries."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_monitoring_config_rules_and_dashboards_pass_promtool() -> None:
    # CI runs ci/check-monitoring.sh itself (lint job), installing promtool there.
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not installed (bash ci/check-monitoring.sh installs it)")
    result = subprocess.run(
        ["bash", str(ROOT / "ci" / "check-monitoring.sh")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unit Testing:" in result.stdout and "SUCCESS" in result.stdout
