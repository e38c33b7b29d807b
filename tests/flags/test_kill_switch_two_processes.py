"""The kill switch reaches every process of a deployment within 1 second.

Two gunicorn processes share one database and nothing else (each has its own local-memory
cache). An operator disables ``dashboard`` through process A's admin API; process B must
stop serving it — its admin view of the live flag and, once the dashboard endpoints exist,
``/financial/dashboard/summary`` answering 404 — within a second.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from findash.flags.bucketing import rollout_bucket

REPO = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 1.0

SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from tests import factories
user = factories.make_user("ops")
User.objects.filter(pk=user.pk).update(is_staff=True)
print(json.dumps({"authorization": factories.bearer(user),
                  "tenant": factories.personal_tenant(user).public_id}))
"""

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    headers: dict[str, str]
    process: subprocess.Popen[bytes]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        headers = {**self.headers, "Content-Type": "application/json"}
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def _start(env: dict[str, str], headers: dict[str, str], log: Path) -> Server:
    port = _free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: master and worker die together
    )
    return Server(f"http://127.0.0.1:{port}", headers, process)


def _wait_ready(server: Server, log: Path) -> None:
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up:
        if server.process.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()}")
        try:
            if server.call("GET", "/admin/flags")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server did not come up:\n{log.read_text()}")


@dataclass
class Deployment:
    a: Server
    b: Server
    tenant: str
    env: dict[str, str]


@pytest.fixture
def shared_database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database both servers share: PostgreSQL on the PostgreSQL run, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    name = f"findash_flags_{uuid.uuid4().hex[:12]}"
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def deployment(tmp_path: Path, shared_database_url: str) -> Iterator[Deployment]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.test",
        "DATABASE_URL": shared_database_url,
        "CACHE_URL": "locmem://",  # no shared cache: the database row alone carries the change
        "FLAGS_REFRESH_SECONDS": "0.5",
        "PYTHONPATH": str(REPO),
    }
    env.pop("COVERAGE_PROCESS_START", None)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    headers: dict[str, str] = {}
    # The servers boot while the database is migrated; they touch it only on requests.
    servers = [_start(env, headers, log) for log in logs]
    try:
        setup = subprocess.run(
            [sys.executable, "-c", SETUP], cwd=REPO, env=env, capture_output=True, check=False
        )
        assert setup.returncode == 0, setup.stderr.decode()
        credentials = json.loads(setup.stdout.decode().strip().splitlines()[-1])
        headers["Authorization"] = credentials["authorization"]
        for server, log in zip(servers, logs, strict=True):
            _wait_ready(server, log)
        yield Deployment(servers[0], servers[1], credentials["tenant"], env)
    finally:
        for server in servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)  # a throwaway database
        for server in servers:
            server.process.wait(timeout=10)


def _dashboard_route_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/financial/dashboard/summary")
    except Resolver404:
        return False
    return True


def _b_stopped_serving(b: Server, check_dashboard: bool) -> bool:
    status, flag = b.call("GET", "/admin/flags/dashboard")
    assert status == 200, flag
    if flag["serving"]["enabled"]:
        return False
    if not check_dashboard:
        return True
    status, body = b.call("GET", "/financial/dashboard/summary")
    assert status == 404, body  # the flag is off in B's snapshot, so the gate must hold
    assert body == {"detail": "feature 'dashboard' is disabled"}
    return True


def _wait_until_b_stops_serving(b: Server) -> float:
    check_dashboard = _dashboard_route_exists()
    changed_at = time.monotonic()
    while not _b_stopped_serving(b, check_dashboard):
        assert time.monotonic() - changed_at < DEADLINE_SECONDS, "B still serves the flag"
        time.sleep(0.02)
    return time.monotonic() - changed_at


def _api_kill_switch(deployment: Deployment) -> None:
    a, b = deployment.a, deployment.b
    check_dashboard = _dashboard_route_exists()
    # Steady state: both processes have loaded the flags and serve the dashboard.
    for server in (a, b):
        assert server.call("GET", "/admin/flags/dashboard")[1]["serving"]["enabled"] is True
        if check_dashboard:
            assert server.call("GET", "/financial/dashboard/summary")[0] == 200

    status, body = a.call("PATCH", "/admin/flags/dashboard", {"enabled": False})
    assert status == 200, body
    print(f"kill switch via API reached process B after {_wait_until_b_stops_serving(b):.3f} s")

    # And back on: the same path restores it everywhere.
    assert a.call("PATCH", "/admin/flags/dashboard", {"enabled": True})[0] == 200
    changed_at = time.monotonic()
    while not b.call("GET", "/admin/flags/dashboard")[1]["serving"]["enabled"]:
        assert time.monotonic() - changed_at < DEADLINE_SECONDS, "B did not re-enable"
        time.sleep(0.02)


def _script(deployment: Deployment, *args: str) -> str:
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "feature-flags.sh"), *args],
        cwd=REPO, env=deployment.env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def _script_kill_switch(deployment: Deployment) -> None:
    b = deployment.b
    _script(deployment, "--disable", "dashboard")
    print(f"kill switch via script reached process B after {_wait_until_b_stops_serving(b):.3f} s")

    # A stage change travels the same way: B serves the tenant iff its bucket fits 40 %.
    assert "on  rollout=100%" in _script(deployment, "--enable", "dashboard")
    assert "on  rollout= 40%" in _script(deployment, "--rollout", "dashboard", "40")
    changed_at = time.monotonic()
    bucket = rollout_bucket(group_id="dashboard", tenant_id=deployment.tenant)
    while True:
        serving = b.call("GET", "/admin/flags/dashboard")[1]["serving"]
        if serving["enabled"] and serving["rollout"] == 40:
            break
        assert time.monotonic() - changed_at < DEADLINE_SECONDS, "B did not take the rollout"
        time.sleep(0.02)
    if _dashboard_route_exists():
        expected = 200 if bucket <= 40 else 404
        assert b.call("GET", "/financial/dashboard/summary")[0] == expected
    audit = b.call("GET", "/admin/flags/dashboard")[1]["audit"]
    assert audit[0]["actor"].startswith("script:")
    assert (audit[0]["old"]["rollout"], audit[0]["new"]["rollout"]) == (100, 40)


def test_disabling_on_one_process_reaches_the_other_within_one_second(
    deployment: Deployment,
) -> None:
    # One test, one deployment: the phases share the (slow to start) servers.
    _api_kill_switch(deployment)
    _script_kill_switch(deployment)
