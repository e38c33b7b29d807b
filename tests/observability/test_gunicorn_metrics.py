"""Under gunicorn with several workers /metrics adds up every worker; a start begins at 0."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.services import on_postgres, require_service

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@contextmanager
def _gunicorn(tmp_path: Path, multiproc_dir: Path) -> Iterator[int]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.local",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CACHE_URL": "locmem://",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc_dir),
        "LOG_LEVEL": "INFO",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("ab"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _health_count(text: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("http_requests_total{") and 'route="/health"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.mark.slow
def test_metrics_add_up_across_workers_and_restart_clean(tmp_path: Path) -> None:
    if on_postgres():
        pytest.skip("uses no database: it runs in the SQLite pass only")
    multiproc_dir = tmp_path / "prometheus"
    multiproc_dir.mkdir()
    stale = multiproc_dir / "counter_99999.db"  # a previous run's worker
    stale.write_bytes(b"\0" * 64)
    with _gunicorn(tmp_path, multiproc_dir) as port:
        assert not stale.exists(), "the master empties the directory on start"
        sent = 0
        pids: set[str] = set()
        while sent < 30 or (len(pids) < 2 and sent < 400):
            assert _get(port, "/health")[0] == 200
            sent += 1
            pids = {p.name.rsplit("_", 1)[-1] for p in multiproc_dir.glob("counter_*.db")}
        assert len(pids) == 2, "both workers served and wrote samples"
        status, text = _get(port, "/metrics")
        assert status == 200
        served = _health_count(text)
        assert sent <= served <= sent + 5  # plus the readiness probes
        # Whichever worker answers the scrape, it reports the same merged total.
        assert {_health_count(_get(port, "/metrics")[1]) for _ in range(6)} == {served}

    # Every line on stderr is JSON: gunicorn's own, the access log, Python warnings.
    lines = [json.loads(line) for line in (tmp_path / "gunicorn.log").read_text().splitlines()]
    booted = [
        x for x in lines if x["logger"] == "gunicorn.error" and "Booting worker" in x["event"]
    ]
    assert len(booted) == 2
    assert any(x["logger"] == "findash.access" and x["endpoint"] == "/health" for x in lines)


@pytest.mark.slow
def test_each_worker_subscribes_its_version_memo_before_any_request(tmp_path: Path) -> None:
    """A worker booted under load (a max-requests restart) must not serve its first
    seconds down the full path while its subscriber waits for the GIL."""
    if on_postgres():
        pytest.skip("uses no database: it runs in the SQLite pass only")
    require_service("redis")
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.local",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/9",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    bind = ["--bind", f"127.0.0.1:{_free_port()}", "config.wsgi:application"]
    server = subprocess.Popen(  # nosec B603 - our own interpreter
        [*command, *bind], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab")
    )
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("shared-version memo subscribed") < 2:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("no worker subscribed before a request:\n" + log.read_text())
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
