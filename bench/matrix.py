"""Cold-path benchmark matrix: endpoint x period x data shape x size x database.

    python -m bench.matrix                                  # everything (slow: 1M-row tenants)
    python -m bench.matrix --sizes 10000,1000000 --db postgres --shapes flat,fx
    python -m bench.matrix --smoke                          # 300 and 3,000 rows, one run

Each request goes through the HTTP API in-process (``django.test.Client`` with a
bearer token) with ``DASHBOARD_CACHE_ENABLED=False``, so every answer is computed
cold; each must be 200. A cell is the median of ``--runs`` requests after one
warm-up request.

The periods are explicit ``start``/``end`` ranges, the same ones the named periods
give when "today" is ``TODAY`` (2026-11-15; the data's last day) or, for
``current_month``, the 1st, the 15th and the last day of a month: passing the range
is what the named period resolves to, and it keeps the data reusable across days.

A tenant per shape and size is built once (see ``bench.tenants``) and reused by
later runs unless ``--rebuild``; its build time is kept in the results. SQLite
uses ``var/bench-matrix.sqlite3`` (``BENCH_SQLITE_PATH``); PostgreSQL the database
``findash_bench_matrix`` on ``BENCH_POSTGRES_URL`` (default on 127.0.0.1), created if
missing and skipped with a message when unreachable. Each database runs in its own child
process (Django's settings are fixed once per process). Results:
``var/bench-matrix-<db>.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.databases import pg_create_database, pg_reachable
from bench.matrix_report import report_render
from bench.shapes import SHAPES, years_before
from bench.tenants import default_span, tenant_build

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/findash_bench_matrix"
SQLITE_PATH = ROOT / "var" / "bench-matrix.sqlite3"
TODAY = date(2026, 11, 15)
ENDPOINTS = {
    "dashboard": "/financial/dashboard",
    "summary": "/financial/dashboard/summary",
    "accounts": "/financial/dashboard/accounts",
    "transactions": "/financial/dashboard/transactions",
    "budgets": "/financial/dashboard/budgets",
}
SMOKE_SIZES = [300, 3000]


def periods_for(today: date = TODAY) -> dict[str, tuple[date, date]]:
    """Each benchmarked period as its inclusive (start, end)."""
    month = today.replace(day=1)
    previous_end = month - timedelta(days=1)
    return {
        "month_1st": (month, month),  # current_month on the 1st
        "month_15th": (month, month.replace(day=15)),  # current_month on the 15th
        "month_last": (previous_end.replace(day=1), previous_end),  # on the last day
        "last_30_days": (today - timedelta(days=29), today),
        "last_12_months": (years_before(today, 1), today),
        "custom": (date(2024, 3, 17), date(2025, 1, 9)),
        "10_years": (years_before(today, 10), today),
    }


class CellFailed(Exception):
    """An endpoint answered something other than 200."""


def _cpu_ns(pids: list[int | str]) -> int:
    """CPU time the processes ran for, in ns: this process's own clock (a running task's
    schedstat lags by up to a scheduler tick, 4 ms), others' Linux schedstat (0 where
    unreadable; an idle server process's is current)."""
    total = 0
    for pid in pids:
        if pid == "self":
            total += time.process_time_ns()
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    return total


def _processes() -> list[int | str]:
    """This process and, on PostgreSQL, the server process serving its connection."""
    from django.db import connection

    connection.ensure_connection()
    info = getattr(connection.connection, "info", None)
    return ["self", *([info.backend_pid] if connection.vendor == "postgresql" and info else [])]


def _timed(
    call: Callable[[], None], runs: int, warmup: int, budget_s: float
) -> tuple[list[float], list[float]]:
    """Wall-clock ms of each run, and the CPU ms spent on it by the app and (on
    PostgreSQL) its server process: what a busy, shared machine inflates least.

    Stops after ``budget_s`` seconds of timed runs (at least one run), so a cell that
    takes seconds, far over any target, does not hold up the whole matrix."""
    for _ in range(warmup):
        call()
    wall: list[float] = []
    cpu: list[float] = []
    while len(wall) < runs and (not wall or sum(wall) < budget_s * 1000):
        pids = _processes()
        started, cpu_started = time.perf_counter(), _cpu_ns(pids)
        call()
        wall.append(round((time.perf_counter() - started) * 1000, 3))
        cpu.append(round((_cpu_ns(pids) - cpu_started) / 1e6, 3))
    return wall, cpu


def _client(tenant: Any) -> Any:
    from django.contrib.auth.models import User
    from django.test import Client

    from findash.tenancy.tokens import token_pair_issue

    token = token_pair_issue(user=User.objects.get(username=tenant.name)).access_token
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


def matrix_measure(
    *,
    shapes: list[str],
    sizes: list[int],
    endpoints: list[str],
    periods: list[str],
    runs: int,
    warmup: int = 1,
    budget_s: float = 10.0,
    rebuild: bool = False,
    on_tenant: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Build (or reuse) each tenant and time every endpoint x period for it.

    Needs Django set up with the response cache off. ``on_tenant`` is called with
    the results so far after each tenant, so a long run can be saved as it goes.
    """
    from django.db import connection

    ranges = periods_for()
    span = default_span(TODAY)
    results: dict[str, Any] = {
        "database": connection.vendor,
        "runs": runs,
        "today": TODAY.isoformat(),
        "periods": {name: [str(ranges[name][0]), str(ranges[name][1])] for name in periods},
        "builds": {},
        "timings": {},
        "cpu": {},
        "errors": {},
        "load_average": [os.getloadavg()[0]],
    }
    for size in sizes:
        for shape in shapes:
            started = time.perf_counter()
            built = tenant_build(shape=shape, size=size, span=span, rebuild=rebuild)
            key = f"{shape}/{size}"
            if not built.reused:
                results["builds"][key] = {
                    "insert_s": round(built.insert_seconds, 2),
                    "rollups_s": round(built.rollup_seconds, 2),
                }
            print(
                f"{connection.vendor} {key}: "
                + (
                    "reused"
                    if built.reused
                    else f"built (insert {built.insert_seconds:.1f} s, "
                    f"rollups {built.rollup_seconds:.1f} s)"
                )
                + "; timing ...",
                file=sys.stderr,
                flush=True,
            )
            http = _client(built.tenant)
            for endpoint in endpoints:
                for period in periods:
                    first, last = ranges[period]
                    url = f"{ENDPOINTS[endpoint]}?start={first}&end={last}"

                    def get(url: str = url, http: Any = http) -> None:
                        response = http.get(url)
                        if response.status_code != 200:
                            raised = getattr(response, "exc_info", None)
                            detail = repr(raised[1]) if raised else response.content[:200]
                            raise CellFailed(f"{response.status_code} {detail}")

                    cell = f"{key}/{endpoint}/{period}"
                    try:
                        results["timings"][cell], results["cpu"][cell] = _timed(
                            get, runs, warmup, budget_s
                        )
                    except CellFailed as failed:  # not timed; the table shows it as an error
                        results["errors"][cell] = str(failed)
                        print(f"{connection.vendor} {cell}: {failed}", file=sys.stderr)
                if on_tenant is not None:  # a long run keeps what it measured so far
                    on_tenant(results)
            print(
                f"{connection.vendor} {key}: timed in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            results["load_average"].append(os.getloadavg()[0])
            if on_tenant is not None:
                on_tenant(results)
    return results


# --- child process: one database ------------------------------------------


def _child(args: argparse.Namespace, out: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    if connection.vendor == "postgresql":  # tenants built before the build did it (tenants.py)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    settings.DASHBOARD_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    fresh = not args.merge

    def save(results: dict[str, Any]) -> None:
        nonlocal fresh
        # Read again at every save: another run may have merged its cells meanwhile.
        previous = json.loads(out.read_text()) if out.exists() else {}
        kept = {} if fresh else previous
        fresh = False
        merged = {**results}
        # Build times describe the tenants still in the database: always kept.
        merged["builds"] = {**previous.get("builds", {}), **results["builds"]}
        for part in ("timings", "cpu", "errors"):
            merged[part] = {**kept.get(part, {}), **results[part]}
        for cell in results["timings"]:  # a cell timed now is no longer an error
            merged["errors"].pop(cell, None)
        merged["periods"] = {**kept.get("periods", {}), **results["periods"]}
        out.write_text(json.dumps(merged, indent=1))

    matrix_measure(
        shapes=args.shapes,
        sizes=args.sizes,
        endpoints=args.endpoints,
        periods=args.periods,
        runs=args.runs,
        warmup=args.warmup,
        budget_s=args.cell_budget,
        rebuild=args.rebuild,
        on_tenant=save,
    )


# --- parent ------------------------------------------------------------------


def _split(kind: Callable[[str], Any], choices: Any = None) -> Callable[[str], list[Any]]:
    def parse(raw: str) -> list[Any]:
        values = [kind(part) for part in raw.split(",") if part]
        unknown = [v for v in values if choices is not None and v not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {unknown}; one of {', '.join(choices)}")
        return values

    return parse


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", type=_split(str, SHAPES), default=list(SHAPES))
    parser.add_argument("--sizes", type=_split(int), default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--db", type=_split(str, ("sqlite", "postgres")), default=None)
    parser.add_argument("--endpoints", type=_split(str, ENDPOINTS), default=list(ENDPOINTS))
    parser.add_argument("--periods", type=_split(str, periods_for()), default=list(periods_for()))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--cell-budget", type=float, default=10.0, help="seconds of timed runs per cell at most"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild existing tenants")
    parser.add_argument("--merge", action="store_true", help="keep other cells of the last run")
    parser.add_argument("--out", help="results file, <db> naming the database")
    parser.add_argument("--report", action="store_true", help="print the last results only")
    parser.add_argument("--smoke", action="store_true", help="300 and 3,000 rows, one run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.runs, args.warmup = SMOKE_SIZES, 1, 0
    return args


def _database_url(db: str) -> str | None:
    if db == "sqlite":
        return f"sqlite:///{os.environ.get('BENCH_SQLITE_PATH', SQLITE_PATH)}"
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL)
    if not pg_reachable(url):
        print(f"SKIP postgres: {url} is not reachable")
        return None
    pg_create_database(url)
    return url


def _print_report(out: Path, shapes: list[str], sizes: list[int] | None) -> None:
    results = json.loads(out.read_text())
    found = sorted({int(key.split("/")[1]) for key in results["timings"]})
    shown = [size for size in found if sizes is None or size in sizes]
    for metric in ("timings", "cpu"):
        print(report_render(results, shapes=shapes, sizes=shown, metric=metric))
        print()


def main() -> None:
    args = _arguments()
    if args.child:
        _child(args, Path(args.child))
        return
    databases = args.db or ["sqlite", "postgres"]
    for db in databases:
        out = (
            Path(args.out.replace("<db>", db))
            if args.out
            else ROOT / "var" / f"bench-matrix-{db}.json"
        )
        if args.report:
            if out.exists():
                _print_report(out, args.shapes, None)
            continue
        url = _database_url(db)
        if url is None:
            continue
        out.parent.mkdir(exist_ok=True)
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
        forwarded = [arg for arg in sys.argv[1:] if arg != "--smoke"]
        if args.smoke:
            forwarded += ["--sizes", ",".join(map(str, args.sizes)), "--runs", "1", "--warmup", "0"]
        command = [sys.executable, "-m", "bench.matrix", *forwarded, "--child", str(out)]
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        print(f"{db}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        _print_report(out, args.shapes, None if args.merge else args.sizes)
    print(f"results in var/bench-matrix-<db>.json ({', '.join(databases)})")


if __name__ == "__main__":
    main()
