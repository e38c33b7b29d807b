"""Dashboard benchmark: the complete dashboard at 10k, 100k and 1M transactions.

    python -m bench.dashboard                                   # all sizes, both databases
    python -m bench.dashboard --sizes 10000,100000 --db sqlite --runs 30
    python -m bench.dashboard --client      # also time GET /financial/dashboard (cache off)

For each database and size it builds (once; reused by later runs unless
``--rebuild``) a tenant with that many transactions spread over the 3 years up
to today, shaped like the demo (``bench.shapes.demo``; built by ``bench.tenants``:
``executemany`` on SQLite, ``COPY`` on PostgreSQL, then ``rollups_rebuild``). It
then times ``dashboard_data_get`` (the service the endpoint calls, no response
cache) for a 12-month period, ``--runs`` times after 2 warm-up runs, and prints
the median and p95 per size and database and the ratio time(largest)/time(smallest).

Two 12-month periods are timed: ``full`` (the last 12 whole calendar months,
read from rollups only) and ``rolling`` (``last_12_months``: today minus a year
to today, whose two partial edge months are read from raw transactions).

SQLite uses ``var/bench-dashboard.sqlite3``; PostgreSQL the database
``findash_bench_dashboard`` on ``BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/findash_bench_dashboard``), created if
missing and skipped with a message when unreachable. Each database runs in its
own child process (Django's settings are fixed once per process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.databases import pg_create_database, pg_reachable
from bench.tenants import default_span, tenant_build

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/findash_bench_dashboard"
SQLITE_PATH = ROOT / "var" / "bench-dashboard.sqlite3"
YEARS = 3


# --- child process: one database ------------------------------------------


def _build(size: int, today: date, rebuild: bool) -> Any:
    """The ``demo``-shaped tenant of ``size`` transactions over the 3 years up to ``today``."""
    built = tenant_build(
        shape="demo",
        size=size,
        span=default_span(today, YEARS),
        rebuild=rebuild,
        name=f"bench-dashboard-{size}",
    )
    if not built.reused:
        print(
            f"  built {size:,} transactions in {built.insert_seconds:.1f}s, rollups in "
            f"{built.rollup_seconds:.1f}s",
            file=sys.stderr,
        )
    return built.tenant


def _time(call: Any, runs: int) -> list[float]:
    for _ in range(2):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _child(sizes: list[int], runs: int, rebuild: bool, client: bool) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from findash.dashboard.periods import month_start, period_resolve
    from findash.dashboard.selectors import dashboard_data_get
    from findash.tenancy.scoping import tenant_scope

    call_command("migrate", verbosity=0, interactive=False)
    settings.DASHBOARD_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    last_full = month_start(today) - timedelta(days=1)
    first_full = month_start(last_full)
    for _ in range(11):
        first_full = month_start(first_full - timedelta(days=1))
    periods = {
        "full": period_resolve(
            start=first_full.isoformat(), end=last_full.isoformat(), period=None, today=today
        ),
        "rolling": period_resolve(start=None, end=None, period="last_12_months", today=today),
    }
    results: dict[str, Any] = {}
    for size in sizes:
        tenant = _build(size, today, rebuild)
        with tenant_scope(tenant):  # as the API's auth enters it for a request
            for label, period in periods.items():
                results[f"{size}/{label}"] = _time(
                    lambda tenant=tenant, period=period: dashboard_data_get(
                        tenant=tenant, period=period
                    ),
                    runs,
                )
        if client:
            from django.contrib.auth.models import User

            from findash.tenancy.tokens import token_pair_issue

            user = User.objects.get(username=tenant.name)
            token = token_pair_issue(user=user).access_token
            http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            query = f"?start={first_full.isoformat()}&end={last_full.isoformat()}"

            def get(http: Client = http, query: str = query) -> None:
                response = http.get("/financial/dashboard" + query)
                assert response.status_code == 200, response.content[:300]

            results[f"{size}/full-http"] = _time(get, runs)
    results["periods"] = {k: [str(p.start), str(p.end)] for k, p in periods.items()}
    return results


# --- parent ------------------------------------------------------------------


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _report(db: str, sizes: list[int], results: dict[str, Any]) -> None:
    periods = results.pop("periods")
    print(f"\n{db}: periods {periods}")
    print(f"{'size':>10} {'period':>10} {'median ms':>10} {'p95 ms':>8} {'runs':>5}")
    labels = sorted({key.split("/", 1)[1] for key in results})
    for label in labels:
        for size in sizes:
            timings = results.get(f"{size}/{label}")
            if timings:
                print(
                    f"{size:>10,} {label:>10} {statistics.median(timings):>10.2f} "
                    f"{_p95(timings):>8.2f} {len(timings):>5}"
                )
        small, large = results.get(f"{sizes[0]}/{label}"), results.get(f"{sizes[-1]}/{label}")
        if small and large and len(sizes) > 1:
            ratio = statistics.median(large) / statistics.median(small)
            print(f"{'':>10} {label:>10} ratio {sizes[-1]:,}/{sizes[0]:,} = {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="rebuild existing tenants")
    parser.add_argument("--client", action="store_true", help="also time the HTTP endpoint")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        out = _child(sizes, args.runs, args.rebuild, args.client)
        Path(args.child).write_text(json.dumps(out))
        return
    for db in args.db.split(","):
        if db == "postgres":
            url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL)
            if not pg_reachable(url):
                print("SKIP postgres: server not reachable")
                continue
            pg_create_database(url)
        else:
            SQLITE_PATH.parent.mkdir(exist_ok=True)
            url = f"sqlite:///{SQLITE_PATH}"
        out = ROOT / "var" / f"bench-dashboard-{db}.json"
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
        command = [
            sys.executable,
            "-m",
            "bench.dashboard",
            "--child",
            str(out),
            "--sizes",
            args.sizes,
            "--runs",
            str(args.runs),
        ]
        command += ["--rebuild"] if args.rebuild else []
        command += ["--client"] if args.client else []
        print(f"{db}: building/timing {args.sizes} ...", file=sys.stderr)
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        _report(db, sizes, json.loads(out.read_text()))


if __name__ == "__main__":
    main()
