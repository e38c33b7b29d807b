"""The guide's operator scripts against a live server: metrics, post-fix watch, logs, security."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.shipping.repo_files import ROOT

OPS = ROOT / "ci" / "scripts" / "ops_http.py"
sys.path.insert(0, str(OPS.parent))
import ops_http  # noqa: E402


def _script(path: str, *args: str, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / path), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "FINDASH_URL": url, "DEPLOY_RUNTIME": "native", **env},
    )


def test_histogram_quantile_interpolates_like_prometheus() -> None:
    # 10 requests ≤ 0.1 s, 10 more ≤ 0.2 s: the median is the 0.1 s edge, p75 halfway up.
    buckets = {0.1: 10.0, 0.2: 20.0, float("inf"): 20.0}
    assert ops_http.histogram_quantile(0.5, buckets) == pytest.approx(0.1)
    assert ops_http.histogram_quantile(0.75, buckets) == pytest.approx(0.15)
    assert ops_http.histogram_quantile(0.99, {0.1: 0.0, float("inf"): 0.0}) is None


def test_log_analysis_flags_a_slow_dashboard_endpoint(tmp_path: Path, capsys: Any) -> None:
    lines = [
        {
            "event": "request",
            "endpoint": "/financial/dashboard",
            "duration_ms": ms,
            "status": 200,
            "cache_hit": ms < 50,
        }
        for ms in [10.0] * 90 + [400.0] * 10
    ] + [{"event": "request", "endpoint": "/health", "duration_ms": 1.0, "status": 200}]
    log = tmp_path / "app.log"
    log.write_text("\n".join("gunicorn: " + json.dumps(line) for line in lines) + "\nnot json\n")
    assert ops_http.main(["logs", str(log), "--p95-ms", "200"]) == 1
    out = capsys.readouterr().out
    assert "101 requests" in out
    assert "/financial/dashboard" in out and "90%" in out  # the cache-hit share
    assert ops_http.main(["logs", str(log), "--p95-ms", "500"]) == 0


@pytest.mark.django_db(transaction=True)
def test_metrics_and_post_fix_monitoring_read_the_live_service(live_server: Any) -> None:
    url = str(live_server.url)
    metrics = _script("monitoring/production-dashboard-metrics.sh", "development", url=url)
    # The counters are the process's (other tests' deliberate 5xx included): the verdict
    # must agree with the exit status, whichever it is.
    assert metrics.returncode in (0, 1), metrics.stderr
    assert "dashboard requests" in metrics.stdout and "dependencies" in metrics.stdout
    assert ("✅ dashboard metrics within targets" in metrics.stdout) == (metrics.returncode == 0)
    watch = _script(
        "monitoring/post-fix-monitoring.sh",
        "3s",
        "development",
        url=url,
        INTERVAL="1s",
        MAX_P99="30",  # the mechanics, not this (possibly busy) machine's latency
    )
    assert watch.returncode == 0, watch.stdout + watch.stderr
    # every interval is judged, and with no errors every one is within the limits
    match = re.search(r"✅ (\d+)/(\d+) intervals within the limits", watch.stdout)
    assert match and match.group(1) == match.group(2) and int(match.group(2)) >= 2
    assert _script("monitoring/post-fix-monitoring.sh", url=url).returncode != 0  # no DURATION


@pytest.mark.django_db(transaction=True)
def test_security_check_sees_the_headers_and_no_debug_page(live_server: Any) -> None:
    result = subprocess.run(
        [sys.executable, str(OPS), "security", "--url", str(live_server.url)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "✅ X-Content-Type-Options: nosniff" in result.stdout
    assert "✅ no debug page" in result.stdout
    assert "✅ the dashboard refuses anonymous calls (401)" in result.stdout
