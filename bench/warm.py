"""Warm-path benchmark: findash's cached dashboard and 304 against the framework floor.

Starts two gunicorns with deploy/gunicorn.conf.py (2 workers x 4 threads unless
WEB_CONCURRENCY/GUNICORN_THREADS say otherwise) on free loopback ports:

1. findash with production settings, the Redis cache and PostgreSQL (a database of its
   own, created, migrated and seeded with the demo tenants);
2. a bare django-ninja "hello" app (``bench/warm_hello``: no apps, no middleware).

Then ``wrk -t2 -c20`` against, in turn: the bare hello (the floor), a cached
``GET /financial/dashboard`` with a bearer token, the same with ``If-None-Match``
(answered 304), and ``/version``; each for ``--duration`` seconds, ``--rounds`` times
interleaved (the median counts: the machine is shared). Prints req/s, latency, errors
and the ratio to the floor. Target: cached and 304 >= 0.8x the floor, 0 errors
(exit 1 otherwise). ``--smoke``: 2 s each, one round, no target.

    .venv/bin/python -m bench.warm
    .venv/bin/python -m bench.warm --smoke
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bench.databases import pg_create_database, pg_reachable

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.8
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/findash_bench_warm"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/9"
DEMO_USER, DEMO_PASSWORD = "demo", "demo-password-2026"
# nginx in front sets it (deploy/nginx); production redirects plain http without it.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class WrkResult:
    name: str
    requests_per_second: float
    latency_avg_ms: float
    latency_p50_ms: float
    latency_p99_ms: float
    requests: int
    errors: int
    timeouts: int = 0  # of the errors: answers slower than wrk's 2 s timeout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def wrk_parse(name: str, output: str) -> WrkResult:
    """The figures of one ``wrk --latency`` run (errors: socket errors + non-2xx/3xx)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    avg = re.search(r"Latency\s+([\d.]+\w+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and avg and p50 and p99 and total):
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    timed_out = re.search(r"timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return WrkResult(
        name=name,
        requests_per_second=float(rps.group(1)),
        latency_avg_ms=_ms(avg.group(1)),
        latency_p50_ms=_ms(p50.group(1)),
        latency_p99_ms=_ms(p99.group(1)),
        requests=int(total.group(1)),
        errors=errors,
        timeouts=int(timed_out.group(1)) if timed_out else 0,
    )


def wrk_run(name: str, url: str, headers: dict[str, str], seconds: float) -> WrkResult:
    command = ["wrk", "-t2", "-c20", f"-d{max(1, round(seconds))}s", "--latency"]
    for header, value in headers.items():
        command += ["-H", f"{header}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return wrk_parse(name, done.stdout)


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _token(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = json.dumps({"username": DEMO_USER, "password": DEMO_PASSWORD})
        conn.request(
            "POST",
            "/auth/token",
            body=body,
            headers={**PROXY_HEADERS, "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"POST /auth/token answered {response.status}: {payload!r}")
        return str(json.loads(payload)["access_token"])
    finally:
        conn.close()


class Server:
    """One gunicorn with deploy/gunicorn.conf.py, stopped on exit."""

    def __init__(self, name: str, app: str, env: dict[str, str], workdir: Path) -> None:
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # nosec B603 - our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                app,
            ],
            cwd=ROOT,
            env={
                **env,
                "PORT": str(self.port),
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"prometheus-{name}"),
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if _get(self.port, path, PROXY_HEADERS)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def findash_env(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "ENVIRONMENT": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "CACHE_KEY_PREFIX": f"bench-warm-{secrets.token_hex(4)}",
        "JWT_ACCESS_TTL_SECONDS": "3600",  # longer than any run
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }


def prepare_database(env: dict[str, str]) -> None:
    pg_create_database(env["DATABASE_URL"])
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(  # nosec B603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def _preflight(args: argparse.Namespace) -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk)"
    cache = urlparse(args.cache_url)
    try:
        socket.create_connection((cache.hostname or "127.0.0.1", cache.port or 6379), 2).close()
    except OSError:
        return f"Redis is not reachable at {cache.hostname}:{cache.port or 6379}"
    if not pg_reachable(args.database_url):
        return "PostgreSQL is not reachable for " + args.database_url.rsplit("@", 1)[-1]
    return None


def targets(findash_port: int, token: str, dashboard: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, url, headers) of every measured request; checks each answers as expected."""
    auth = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
    status, headers, _ = _get(findash_port, dashboard, auth)
    if status != 200 or "ETag" not in headers:
        raise RuntimeError(f"GET {dashboard} answered {status} without an ETag")
    etag = headers["ETag"]
    if _get(findash_port, dashboard, {**auth, "If-None-Match": etag})[0] != 304:
        raise RuntimeError(f"GET {dashboard} with If-None-Match did not answer 304")
    base = f"http://127.0.0.1:{findash_port}"
    return [
        ("dashboard cached", base + dashboard, auth),
        ("dashboard 304", base + dashboard, {**auth, "If-None-Match": etag}),
        ("/version", base + "/version", PROXY_HEADERS),
    ]


def measure(
    plan: list[tuple[str, str, dict[str, str]]], *, seconds: float, rounds: int
) -> dict[str, WrkResult]:
    """Interleaved rounds, median req/s per target (errors summed)."""
    runs: dict[str, list[WrkResult]] = {}
    for name, url, headers in plan:  # warm every worker and thread first
        wrk_run(name, url, headers, 1)
    for _ in range(rounds):
        for name, url, headers in plan:
            runs.setdefault(name, []).append(wrk_run(name, url, headers, seconds))
    medians: dict[str, WrkResult] = {}
    for name, results in runs.items():
        median = statistics.median_low([r.requests_per_second for r in results])
        chosen = next(r for r in results if r.requests_per_second == median)
        chosen.errors = sum(r.errors for r in results)
        chosen.timeouts = sum(r.timeouts for r in results)
        medians[name] = chosen
    return medians


def report(results: dict[str, WrkResult], floor_name: str) -> list[str]:
    """Prints the table; returns the failed targets."""
    floor = results[floor_name].requests_per_second
    print(
        f"{'target':<20} {'req/s':>9} {'avg ms':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'x floor':>8}"
    )
    failures = []
    for name, result in results.items():
        ratio = result.requests_per_second / floor if floor else 0.0
        print(
            f"{name:<20} {result.requests_per_second:>9.0f} {result.latency_avg_ms:>8.2f} "
            f"{result.latency_p50_ms:>8.2f} {result.latency_p99_ms:>8.2f} "
            f"{result.errors:>7} {ratio:>8.2f}"
        )
        if result.errors:
            failures.append(f"{name}: {result.errors} errors ({result.timeouts} timeouts)")
        if name.startswith("dashboard") and ratio < TARGET_RATIO:
            failures.append(f"{name}: {ratio:.2f}x the floor (target {TARGET_RATIO}x)")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per target")
    parser.add_argument("--smoke", action="store_true", help="2 s each, one round, no target")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    parser.add_argument("--path", default="/financial/dashboard", help="the cached request")
    parser.add_argument(
        "--no-prepare", action="store_true", help="the database is migrated and seeded already"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.duration, args.rounds = 2.0, 1
    missing = _preflight(args)
    if missing:
        print(f"SKIP: {missing}")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="findash-warm-"))
    env = findash_env(args)
    if not args.no_prepare:
        prepare_database(env)
    findash = Server("findash", "config.wsgi:application", env, workdir)
    bare = Server("bare", "bench.warm_hello.wsgi:application", dict(os.environ), workdir)
    try:
        findash.wait_ready("/health")
        bare.wait_ready("/hello")
        plan = [("bare ninja hello", f"http://127.0.0.1:{bare.port}/hello", {})]
        plan += targets(findash.port, _token(findash.port), args.path)
        print(
            f"wrk -t2 -c20, {args.duration:.0f} s x {args.rounds} round(s); gunicorn "
            f"deploy/gunicorn.conf.py; findash: production settings, {args.cache_url}, "
            f"PostgreSQL {urlparse(args.database_url).path.lstrip('/')}"
        )
        results = measure(plan, seconds=args.duration, rounds=args.rounds)
    finally:
        findash.stop()
        bare.stop()
    failures = report(results, "bare ninja hello")
    log = findash.log_path.read_text(errors="replace")
    print(
        f"findash server during the run: {log.count('cache get_many failed')} cache read "
        f"failures (slower than CACHE_SOCKET_TIMEOUT; 3 in a row bypass the cache for 2 s), "
        f"{log.count('Autorestarting worker')} worker restarts (GUNICORN_MAX_REQUESTS)"
    )
    if args.smoke:
        print("smoke run: targets not checked")
        return 0
    for failure in failures:
        print(f"FAILED {failure}")
    shutil.rmtree(workdir, ignore_errors=True) if not failures else None
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
