"""monitoring/health-check.sh against a live server: ✅ lines, ❌ and exit 1 on failure."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from findash.observability import health

SCRIPT = Path(__file__).resolve().parents[2] / "monitoring" / "health-check.sh"


def _run(target: str, *more: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), target, *more],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HEALTH_CHECK_TIMEOUT": "5", **env},
    )


@pytest.mark.django_db(transaction=True)
def test_a_healthy_server_prints_ticks_and_exits_zero(live_server: Any) -> None:
    result = _run(live_server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "✅ Web service: healthy" in lines
    assert any(line.startswith("✅ Database: healthy (") for line in lines)
    assert any(line.startswith("✅ Cache: healthy (") for line in lines)
    assert any(line.startswith("✅ Dashboard endpoints: healthy") for line in lines)
    assert any(line.startswith("\u2796 Load balancer: none in front") for line in lines)
    assert "❌" not in result.stdout

    required = _run(live_server.url, REQUIRE_LOAD_BALANCER="1")
    assert required.returncode == 1
    assert "❌ Load balancer: unhealthy" in required.stdout


@pytest.mark.django_db(transaction=True)
def test_a_failing_database_is_named_and_exits_non_zero(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> None:
        raise ConnectionRefusedError("database is down")

    monkeypatch.setitem(health.CHECKS, "database", down)
    result = _run(live_server.url)
    assert result.returncode == 1
    assert "❌ Database: unhealthy (ConnectionRefusedError after" in result.stdout
    assert "✅ Web service: healthy" in result.stdout
    assert "✅ Cache: healthy" in result.stdout


def test_nothing_listening_fails_every_check(closed_port: int) -> None:
    result = _run(f"http://127.0.0.1:{closed_port}")
    assert result.returncode == 1
    for name in ("Web service", "Database", "Cache", "Dashboard endpoints"):
        assert f"❌ {name}: unhealthy" in result.stdout


def test_environment_names_map_to_their_ports_and_bad_arguments_are_refused() -> None:
    assert (
        "findash health at http://127.0.0.1:8002"
        in _run("staging", HEALTH_CHECK_TIMEOUT="1").stdout
    )
    # production's public side is TLS on 443 (plain 80 only redirects)
    assert (
        "findash health at https://127.0.0.1\n"
        in _run("production", HEALTH_CHECK_TIMEOUT="1").stdout
    )
    assert _run("nonsense").returncode == 2
    assert _run("staging", "extra").returncode == 2


def test_a_blue_green_slot_is_checked_on_its_own_port() -> None:
    # deploy/environments.tsv: production's slots 8103/8203, staging's 8102/8202
    assert (
        "findash health at http://127.0.0.1:8103" in _run("blue", HEALTH_CHECK_TIMEOUT="1").stdout
    )
    green = _run("green", "staging", HEALTH_CHECK_TIMEOUT="1").stdout
    assert "findash health at http://127.0.0.1:8202" in green
    assert _run("blue", "nowhere").returncode == 2
