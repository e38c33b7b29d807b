"""Blue-green deploy and emergency rollback under load, for real.

The native runtime on loopback: gunicorn slots behind nginx (TLS, self-signed),
PostgreSQL. Release A is deployed, a load generator keeps reading the dashboard
(and writing transactions) through nginx, release B is blue-green deployed,
then an emergency rollback returns to A. Every request must succeed, /version
must name the right release after each step, and no row may be lost. Faults
(missing secret, failing migration, destructive migration, failing validation,
a killed gunicorn worker) must not cost a request either.

Runs in the PostgreSQL pass of ci/test.sh (skipped on the SQLite pass); skips
locally when nginx cannot be installed, fails under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
# Phases that kill processes mid-request: a response already being sent when its
# process died cannot be retried by nginx; everything else must succeed.
KILL_PHASES = ("worker killed", "live slot killed")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the deploy e2e test must run)")
    pytest.skip(reason)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _ensure_tools() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the deploy e2e test runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if nginx is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx-light"],
            capture_output=True,
            check=False,
            timeout=300,
        )
        nginx = shutil.which("/usr/sbin/nginx")
    if nginx is None:
        _unavailable("nginx is not installed and could not be installed")
    for tool in ("psql", "pg_dump", "openssl", "curl", "flock"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed")


@dataclass
class Deployment:
    state: Path
    env: dict[str, str]
    url: str
    cafile: Path
    db_url: str
    log: list[str] = field(default_factory=list)

    def run(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            ["bash", *args],
            cwd=REPO,
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        took = time.monotonic() - started
        self.log.append(f"$ {' '.join(args)} {extra or ''} -> {result.returncode} in {took:.1f}s")
        if check and result.returncode != 0:
            raise AssertionError(
                f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return _session(self).get(self.url + path, timeout=10, **kwargs)

    def release(self) -> str:
        return str(self.get("/version").json()["release"])


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    _ensure_tools()
    http, https, blue, green = _free_ports(4)
    base = tmp_path_factory.mktemp("deploy")
    # nginx's workers (www-data when run as root) connect to the slots' sockets under the
    # state directory, so it must be traversable: pytest's own temp root is mode 700.
    state = Path(tempfile.mkdtemp(prefix="findash-e2e-")) / "production"
    state.parent.chmod(0o755)
    source = _snapshot(base / "source")
    db_name = f"findash_e2e_{uuid.uuid4().hex[:10]}"
    db_url = f"postgres://postgres@127.0.0.1:5432/{db_name}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "CI": os.environ.get("CI", ""),
        "DEPLOY_RUNTIME": "native",
        "DEPLOY_STATE_DIR": str(state),
        "DEPLOY_SOURCE": str(source),
        "DEPLOY_ENV_FILE": str(state / "none.env"),  # never a developer's production.env
        "DATABASE_URL": db_url,
        "CACHE_URL": "redis://127.0.0.1:6379/9" if _port_open(6379) else "locmem://",
        "HTTP_PORT": str(http),
        "HTTPS_PORT": str(https),
        "BLUE_PORT": str(blue),
        "GREEN_PORT": str(green),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "LOG_LEVEL": "WARNING",
        "STRICT_VALIDATION": "1",
    }
    dep = Deployment(state, env, f"https://127.0.0.1:{https}", state / "nginx/tls/cert.pem", db_url)
    try:
        yield dep
    finally:
        dep.run("ci/deploy.sh", "production", "--down", check=False)
        subprocess.run(
            ["psql", PG_ADMIN, "-qc", f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(state.parent, ignore_errors=True)
        print("\n".join(dep.log))


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Load:
    """Reader threads (health, version, dashboard) and one writer (transactions)."""

    def __init__(self, dep: Deployment, token: str, account_id: int, readers: int = 4) -> None:
        self.dep = dep
        self.headers = {"Authorization": f"Bearer {token}"}
        self.account_id = account_id
        self.phase = "warmup"
        self.stop = threading.Event()
        self.writing = threading.Event()
        self.writing.set()
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []
        self.truncated: list[str] = []
        self.releases: dict[str, set[str]] = {}
        self.written = 0
        self.threads = [threading.Thread(target=self._read, daemon=True) for _ in range(readers)]
        self.threads.append(threading.Thread(target=self._write, daemon=True))

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def _record(
        self, ok: bool, what: str, release: str | None = None, truncated: bool = False
    ) -> None:
        with self.lock:
            self.counts[self.phase] += 1
            if truncated and self.phase in KILL_PHASES:
                self.truncated.append(f"[{self.phase}] {what}")
            elif not ok:
                self.failures.append(f"[{self.phase}] {what}")
            if release:
                self.releases.setdefault(self.phase, set()).add(release)

    def _read(self) -> None:
        session = _session(self.dep)
        paths = ["/version", "/health", "/financial/dashboard", "/financial/dashboard/summary"]
        i = 0
        while not self.stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                resp = session.get(self.dep.url + path, headers=self.headers, timeout=15)
                release = resp.json().get("release") if path == "/version" else None
                self._record(resp.status_code == 200, f"GET {path}: {resp.status_code}", release)
            except requests.exceptions.ChunkedEncodingError as exc:
                # The answer had started when its process died: no proxy can retry that.
                self._record(False, f"GET {path} cut mid-response: {exc!r}", truncated=True)
            except (requests.RequestException, ValueError) as exc:
                self._record(False, f"GET {path}: {exc!r}")

    def _write(self) -> None:
        session = _session(self.dep)
        while not self.stop.is_set():
            if not self.writing.wait(timeout=0.1):
                continue
            body = {
                "account_id": self.account_id,
                "date": "2026-01-15",
                "amount": str(Decimal("-1.25")),
                "description": "load",
            }
            try:
                resp = session.post(
                    self.dep.url + "/transactions", json=body, headers=self.headers, timeout=15
                )
                ok = resp.status_code == 201
                self._record(ok, f"POST /transactions: {resp.status_code} {resp.text[:100]}")
                if ok:
                    with self.lock:
                        self.written += 1
            except requests.RequestException as exc:
                self._record(False, f"POST /transactions: {exc!r}")
            time.sleep(0.05)

    def during(self, phase: str) -> None:
        with self.lock:
            self.phase = phase

    def settle(self, seconds: float = 0.5) -> None:
        time.sleep(seconds)


def _session(dep: Deployment) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # a CA bundle or proxy from the environment must not apply
    session.verify = str(dep.cafile)
    return session


def _seed(dep: Deployment) -> tuple[str, int]:
    """A tenant with an account and some transactions, created through the API."""
    s = _session(dep)
    user = f"e2e{uuid.uuid4().hex[:8]}"
    password = "a long e2e password 42"
    assert s.post(dep.url + "/auth/register", json={"username": user, "password": password}).ok
    token = s.post(dep.url + "/auth/token", json={"username": user, "password": password}).json()[
        "access_token"
    ]
    s.headers["Authorization"] = f"Bearer {token}"
    account = s.post(
        dep.url + "/accounts",
        json={"name": "Checking", "type": "checking", "currency": "USD", "opening_balance": "1000"},
    )
    assert account.status_code == 201, account.text
    account_id = int(account.json()["id"])
    rows = [
        {"account_id": account_id, "date": f"2026-01-0{1 + i % 9}", "amount": "-12.50"}
        for i in range(50)
    ]
    bulk = s.post(dep.url + "/transactions/bulk", json={"transactions": rows})
    assert bulk.status_code == 201, bulk.text
    return token, account_id


def _transaction_count(dep: Deployment, token: str) -> int:
    resp = dep.get("/transactions?limit=1", headers={"Authorization": f"Bearer {token}"})
    return int(resp.json()["count"])


def _snapshot(target: Path) -> Path:
    """The committed tree (HEAD): what every release of this test is built from, so that
    edits in progress in the working tree cannot change the code mid-test."""
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"], cwd=REPO, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-xf", "-", "-C", str(target)], input=archive, check=True)
    return target


def _source_copy(dep: Deployment, tmp: Path) -> Path:
    """A copy of the release source to break in one way or another (DEPLOY_SOURCE)."""
    shutil.copytree(dep.env["DEPLOY_SOURCE"], tmp)
    return tmp


def _add_migration(tree: Path, body: str) -> None:
    migrations = tree / "findash/ledger/migrations"
    leaf = sorted(p.stem for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))[-1]
    (migrations / "9999_e2e.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('ledger', '{leaf}')]\n"
        f"    operations = [{body}]\n"
    )


def _parent_pid(stat: Path) -> int | None:
    try:
        # The command name is in parentheses and may contain spaces: split after it.
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _workers(master: int) -> list[int]:
    return [
        int(stat.parent.name)
        for stat in Path("/proc").glob("[0-9]*/stat")
        if _parent_pid(stat) == master
    ]


def _kill_one_worker(dep: Deployment) -> int:
    live = (dep.state / "active").read_text().strip()
    master = int((dep.state / f"slots/{live}.pid").read_text())
    children = _workers(master)
    assert children, f"gunicorn master {master} has no workers"
    victim = children[0]
    os.kill(victim, signal.SIGKILL)
    return victim


def test_blue_green_deploy_and_rollback_lose_no_request(
    deployment: Deployment, tmp_path: Path
) -> None:
    dep = deployment
    dep.run("ci/scripts/generate-secret.sh", "production")
    first = dep.run("ci/deploy.sh", "production", RELEASE="e2e-A")
    assert dep.url in first.stdout
    assert dep.release() == "e2e-A"
    token, account_id = _seed(dep)
    seeded = _transaction_count(dep, token)
    snapshot = dep.state / "before.json"
    dep.run("scripts/verify-data-integrity.sh", "production", "--save", str(snapshot))

    with Load(dep, token, account_id) as load:
        load.settle(1.0)

        # Faults: each stops before traffic moves and A keeps serving.
        load.during("fault: missing secret")
        secret = dep.state / "secret"
        secret.rename(dep.state / "secret.away")
        missing = dep.run("ci/scripts/blue-green-deploy.sh", "production", check=False)
        (dep.state / "secret.away").rename(secret)
        assert missing.returncode != 0
        assert "SECRET_KEY is missing" in missing.stderr
        assert dep.release() == "e2e-A"

        load.during("fault: failing migration")
        broken = _source_copy(dep, tmp_path / "broken-migration")
        _add_migration(broken, "migrations.RunSQL('SELECT 1/0')")
        failing = dep.run(
            "ci/scripts/blue-green-deploy.sh",
            "production",
            check=False,
            DEPLOY_SOURCE=str(broken),
            RELEASE="e2e-broken",
        )
        assert failing.returncode != 0
        assert "migrations of release e2e-broken failed" in failing.stderr
        assert "blue slot keeps serving e2e-A" in failing.stderr
        assert dep.release() == "e2e-A"

        load.during("fault: destructive migration")
        contract = _source_copy(dep, tmp_path / "contract")
        _add_migration(contract, "migrations.RemoveField('transaction', 'payee')")
        refused = dep.run(
            "ci/scripts/blue-green-deploy.sh",
            "production",
            check=False,
            DEPLOY_SOURCE=str(contract),
            RELEASE="e2e-contract",
        )
        assert refused.returncode != 0
        assert "destructive migrations" in refused.stderr
        assert dep.release() == "e2e-A"

        load.during("fault: failing validation")
        invalid = _source_copy(dep, tmp_path / "invalid")
        with (invalid / "config/urls.py").open("a") as urls:
            urls.write(
                "\nfrom django.http import HttpResponseServerError\n"
                "urlpatterns.insert(0, path('version', lambda r: HttpResponseServerError()))\n"
            )
        rejected = dep.run(
            "ci/scripts/blue-green-deploy.sh",
            "production",
            check=False,
            DEPLOY_SOURCE=str(invalid),
            RELEASE="e2e-invalid",
        )
        assert rejected.returncode != 0
        assert "failed validation on its own port" in rejected.stderr
        assert dep.release() == "e2e-A"

        load.during("switch A->B")
        deploy_b = dep.run("ci/scripts/blue-green-deploy.sh", "production", RELEASE="e2e-B")
        assert "traffic on the green slot (release e2e-B)" in deploy_b.stdout
        load.settle(0.5)
        assert dep.release() == "e2e-B"

        load.during("emergency rollback B->A")
        started = time.monotonic()
        rollback = dep.run("ci/scripts/emergency-rollback.sh", "production")
        rollback_s = time.monotonic() - started
        load.settle(0.5)
        assert dep.release() == "e2e-A"
        traffic_ms = int(re.search(r"ROLLBACK_TRAFFIC_MS=(\d+)", rollback.stdout).group(1))  # type: ignore[union-attr]
        dep.run("ci/validate-deployment.sh", "production", "--rollback-mode")

        # Traffic by hand, both ways, while B still runs in the green slot.
        load.during("traffic-switch")
        dep.run("ci/scripts/traffic-switch.sh", "green", "production")
        assert dep.release() == "e2e-B"
        dep.run("ci/scripts/traffic-switch.sh", "blue", "production")
        assert dep.release() == "e2e-A"

        # A worker killed mid-load: nginx retries the idempotent reads on another worker.
        load.writing.clear()  # a POST on a killed process is lost by design (not retried)
        load.settle(0.3)
        load.during("worker killed")
        victim = _kill_one_worker(dep)
        load.settle(2.0)

        # The whole live slot killed: nginx falls back to the running green slot.
        load.during("live slot killed")
        master = int((dep.state / "slots/blue.pid").read_text())
        for pid in [master, *_workers(master)]:
            os.kill(pid, signal.SIGKILL)
        load.settle(2.0)
        assert dep.release() == "e2e-B"
        load.writing.set()
        load.during("after")
        load.settle(1.0)

    counts = dict(load.counts)
    print(f"\nrequests per phase: {json.dumps(counts, indent=1)}")
    print(f"releases seen per phase: { {k: sorted(v) for k, v in load.releases.items()} }")
    print(
        f"emergency rollback: traffic on A after {traffic_ms} ms, "
        f"command incl. validation {rollback_s:.1f} s; killed worker pid {victim}"
    )
    print(f"responses cut by a kill (not retryable): {len(load.truncated)} {load.truncated[:3]}")
    assert load.failures == [], load.failures[:20]
    assert len(load.truncated) <= 2, load.truncated
    assert counts["switch A->B"] > 20 and counts["emergency rollback B->A"] > 5
    assert load.releases["switch A->B"] == {"e2e-A", "e2e-B"}
    assert "e2e-A" in load.releases["emergency rollback B->A"]
    assert counts["worker killed"] > 5 and counts["live slot killed"] > 5
    assert load.releases["live slot killed"] <= {"e2e-A", "e2e-B"}
    assert traffic_ms < 10_000

    # No data lost: every acknowledged write is there, every table kept its rows.
    assert _transaction_count(dep, token) == seeded + load.written
    assert load.written > 0
    dep.run("scripts/verify-data-integrity.sh", "production", "--compare", str(snapshot))
    backups = list((dep.state / "backups").glob("*.sql"))
    assert backups, "blue-green deploy took no pg_dump backup"
