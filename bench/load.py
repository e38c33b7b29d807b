"""Load check: N concurrent clients against the dashboard endpoints of a real gunicorn.

By default it starts gunicorn itself (deploy/gunicorn.conf.py, several workers) on a
free loopback port with a seeded SQLite database and the Redis cache, runs the load,
and prints throughput, latency percentiles, errors and the cache hit ratio read from
/metrics. Targets (operations guide): p99 < 100 ms, hit ratio > 80 %, 0 errors.

    .venv/bin/python bench/load.py                      # 100 clients, 30 s, Redis cache
    .venv/bin/python bench/load.py --cache-url locmem:// --workers 1
    .venv/bin/python bench/load.py --url http://127.0.0.1:8002 --username demo --password …

Each client is a thread with its own keep-alive connection, looping over the five
dashboard endpoints, four periods and the demo person's and organization's tenants.
``--write-every N`` makes every Nth request a transaction write (it invalidates that
tenant's cached dashboards, as real use does).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = [
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
]
PERIODS = ["current_month", "last_month", "last_12_months", "year_to_date"]


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    by_endpoint: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    writes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_endpoint.setdefault(endpoint, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    headers: dict[str, str],
    body: object = None,
) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    sent = {**headers, **({"Content-Type": "application/json"} if data else {})}
    conn.request(method, path, body=data, headers=sent)
    response = conn.getresponse()
    return response.status, response.read()


def scrape(base: str) -> dict[str, float]:
    """Sums of the counters this check reads, over all label sets."""
    parsed = urlparse(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    status, body = request(conn, "GET", "/metrics", {})
    conn.close()
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    wanted = ("dashboard_cache_hits_total", "dashboard_cache_misses_total", "cache_errors_total")
    sums = dict.fromkeys(wanted, 0.0)
    for line in body.decode().splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in sums:
            sums[name] += float(line.rsplit(" ", 1)[1])
        if name == "dashboard_active_tenants":
            sums[name] = float(line.rsplit(" ", 1)[1])
        if name == "dashboard_request_duration_seconds_bucket":
            le = line.split('le="', 1)[1].split('"', 1)[0]
            key = f"bucket:{le}"
            sums[key] = sums.get(key, 0.0) + float(line.rsplit(" ", 1)[1])
    return sums


def server_quantile(before: dict[str, float], after: dict[str, float], q: float) -> float | None:
    """The quantile of in-app time (the histogram), as Prometheus would estimate it."""
    buckets = sorted(
        (float(k.split(":", 1)[1]), after[k] - before.get(k, 0.0))
        for k in after
        if k.startswith("bucket:")
    )
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float("inf"):
                return lower_bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / (
                count - lower_count or 1
            )
        lower_bound, lower_count = bound, count
    return None


def login(base: str, username: str, password: str) -> tuple[str, list[str]]:
    parsed = urlparse(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    status, body = request(
        conn, "POST", "/auth/token", {}, {"username": username, "password": password}
    )
    if status != 200:
        raise RuntimeError(f"login failed: {status} {body[:200]!r}")
    token = json.loads(body)["access_token"]
    status, body = request(conn, "GET", "/tenants", {"Authorization": f"Bearer {token}"})
    conn.close()
    payload = json.loads(body) if status == 200 else []
    items = payload["items"] if isinstance(payload, dict) else payload
    tenants = [str(t.get("id") or t.get("tenant_id")) for t in items if isinstance(t, dict)]
    return token, [t for t in tenants if t and t != "None"] or [""]


def client_loop(
    base: str,
    token: str,
    tenants: list[str],
    deadline: float,
    results: Results,
    write_every: int,
    accounts: dict[str, int],
    seed: int,
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    parsed = urlparse(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    count = 0
    if think:
        time.sleep(rng.uniform(0, think))  # users do not all click at the same instant
    while time.monotonic() < deadline:
        count += 1
        tenant = rng.choice(tenants)
        headers = {"Authorization": f"Bearer {token}"}
        if tenant:
            headers["X-Tenant-ID"] = tenant
        try:
            if write_every and count % write_every == 0 and tenant in accounts:
                status, _ = request(
                    conn,
                    "POST",
                    "/transactions",
                    headers,
                    {
                        "account_id": accounts[tenant],
                        "date": time.strftime("%Y-%m-%d"),
                        "amount": "-1.00",
                        "description": "load check",
                    },
                )
                with results.lock:
                    results.writes += 1
                    if status >= 400:
                        results.errors.append(f"write answered {status}")
                continue
            endpoint = rng.choice(ENDPOINTS)
            path = f"{endpoint}?period={rng.choice(PERIODS)}"
            started = time.perf_counter()
            status, _ = request(conn, "GET", path, headers)
            results.record(endpoint, time.perf_counter() - started, status)
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)
            if status != 200:
                with results.lock:
                    results.errors.append(f"{path} answered {status}")
        except (OSError, http.client.HTTPException) as exc:
            with results.lock:
                results.errors.append(f"{type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    conn.close()


def first_accounts(base: str, token: str, tenants: list[str]) -> dict[str, int]:
    parsed = urlparse(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=30)
    found: dict[str, int] = {}
    for tenant in tenants:
        headers = {"Authorization": f"Bearer {token}", "X-Tenant-ID": tenant}
        status, body = request(conn, "GET", "/accounts?limit=1", headers)
        if status == 200 and json.loads(body)["items"]:
            found[tenant] = int(json.loads(body)["items"][0]["id"])
    conn.close()
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))
    return ordered[index]


def start_server(args: argparse.Namespace) -> tuple[str, subprocess.Popen[bytes], Path]:
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="findash-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.local",
        "DEBUG": "false",
        "ENVIRONMENT": "production",  # the 1800 s dashboard TTL
        "DATABASE_URL": database_url,
        "CACHE_URL": args.cache_url,
        "CACHE_KEY_PREFIX": f"bench-{workdir.name}",  # fresh database, fresh cache keys
        "LOG_LEVEL": args.log_level,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
    }
    python = sys.executable
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            python,
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
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            if request(conn, "GET", "/health", {})[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.terminate()
        raise RuntimeError(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")
    return base, server, workdir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--url", help="an already running server (skips starting gunicorn)")
    parser.add_argument("--workers", type=int, default=2)  # one per core here
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--log-level", default="INFO", help="the server's LOG_LEVEL")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo-password-2026")
    parser.add_argument("--write-every", type=int, default=0, help="every Nth request writes")
    parser.add_argument(
        "--think-ms", type=float, default=0.0, help="mean pause of a client between requests"
    )
    args = parser.parse_args()

    server = None
    workdir = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        base, server, workdir = start_server(args)
    try:
        token, tenants = login(base, args.username, args.password)
        accounts = first_accounts(base, token, tenants) if args.write_every else {}
        if args.warmup:
            warm = Results()
            client_loop(base, token, tenants, time.monotonic() + args.warmup, warm, 0, {}, 0)
        before = scrape(base)
        results = Results()
        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=client_loop,
                args=(
                    base,
                    token,
                    tenants,
                    deadline,
                    results,
                    args.write_every,
                    accounts,
                    i,
                    args.think_ms / 1000,
                ),
            )
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        after = scrape(base)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    report(args, base, results, elapsed, before, after, tenants)
    if workdir is not None:
        print(f"server log: {workdir / 'gunicorn.log'}")
    return 0 if not results.errors else 1


def report(
    args: argparse.Namespace,
    base: str,
    results: Results,
    elapsed: float,
    before: dict[str, float],
    after: dict[str, float],
    tenants: list[str],
) -> None:
    lat = results.latencies
    hits = after["dashboard_cache_hits_total"] - before["dashboard_cache_hits_total"]
    misses = after["dashboard_cache_misses_total"] - before["dashboard_cache_misses_total"]
    ratio = hits / (hits + misses) if hits + misses else 0.0
    print(f"findash load check against {base}")
    print(
        f"  {args.clients} clients, {elapsed:.1f} s, workers={args.workers} "
        f"threads={args.threads} cache={args.cache_url if not args.url else 'server config'} "
        f"tenants={len(tenants)} writes={results.writes} think={args.think_ms:g} ms"
    )
    if not lat:
        print("  no requests completed")
        return
    print(f"  requests:   {len(lat)}  ({len(lat) / elapsed:.0f} req/s)")
    p50, p95, p99 = (percentile(lat, q) * 1000 for q in (0.50, 0.95, 0.99))
    print(
        f"  latency:    p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms"
        f"  max {max(lat) * 1000:.1f} ms  mean {statistics.fmean(lat) * 1000:.1f} ms"
    )
    app_p50 = server_quantile(before, after, 0.5)
    app_p99 = server_quantile(before, after, 0.99)
    if app_p50 is not None and app_p99 is not None:
        print(
            f"  in-app:     p50 {app_p50 * 1000:.1f} ms  p99 {app_p99 * 1000:.1f} ms"
            "  (dashboard_request_duration_seconds; the rest is queueing for a worker)"
        )
    for endpoint, values in sorted(results.by_endpoint.items()):
        print(
            f"    {endpoint:<36} n={len(values):<6} p50 {percentile(values, 0.5) * 1000:6.1f} ms"
            f"  p99 {percentile(values, 0.99) * 1000:6.1f} ms"
        )
    print(f"  statuses:   {dict(sorted(results.statuses.items()))}")
    print(
        f"  errors:     {len(results.errors)}"
        + (f" e.g. {results.errors[:3]}" if results.errors else "")
    )
    print(
        f"  cache:      hit ratio {ratio:.1%} ({hits:.0f} hits, {misses:.0f} misses, from /metrics)"
    )
    print(
        "  cache errors during the run: "
        f"{after['cache_errors_total'] - before['cache_errors_total']:.0f}"
    )
    verdict = percentile(lat, 0.99) < 0.1 and ratio > 0.8 and not results.errors
    print(
        f"  targets (p99 < 100 ms, hit ratio > 80 %, 0 errors): {'met' if verdict else 'NOT met'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
