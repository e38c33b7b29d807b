"""Bulk-insert benchmark: POST /transactions/bulk through the full Django stack.

    python -m bench.bulk_insert            # SQLite (temp file) and PostgreSQL
    python -m bench.bulk_insert --runs 5 --databases sqlite

For each database it times 10,000 rows in one request and 100,000 rows as ten
requests of 10,000, several runs each, and prints the median. PostgreSQL uses
the database ``findash_bench`` on ``BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/findash_bench``), created if missing, and
is skipped with a message when the server cannot be reached.

Each database runs in its own child process, because Django's settings (and so
``DATABASE_URL``) are fixed once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.databases import pg_create_database, pg_reachable

ROWS_PER_REQUEST = 10_000
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/findash_bench"


# Child process: one database, Django set up against it.


def _payload(account_ids: list[int], category_ids: list[int], batch: int) -> bytes:
    rows = [
        {
            "account_id": account_ids[i % len(account_ids)],
            "date": f"20{20 + batch % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "amount": f"{'-' if i % 4 else ''}{i % 997}.{i % 100:02d}",
            "category_id": category_ids[i % len(category_ids)] if i % 5 else None,
            "description": f"bench row {i}",
            "payee": f"Payee {i % 50}",
        }
        for i in range(ROWS_PER_REQUEST)
    ]
    return json.dumps({"transactions": rows}).encode()


def _child(runs: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from findash.ledger.models import Account, Category, Transaction
    from findash.tenancy.models import Membership, Role, Tenant
    from findash.tenancy.scoping import tenant_scope
    from findash.tenancy.tokens import token_pair_issue

    call_command("migrate", verbosity=0, interactive=False)

    def fresh_tenant() -> tuple[Client, dict[str, str], list[int], list[int]]:
        name = f"bench-{uuid.uuid4().hex[:12]}"
        user = User.objects.create_user(username=name, password=uuid.uuid4().hex)
        tenant = Tenant.objects.create(tenant_type=Tenant.Type.USER, name=name)
        Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
        with tenant_scope(tenant):
            accounts = [
                Account.objects.create(
                    name=f"A{i}", type="checking", currency="USD", opening_balance=0
                ).pk
                for i in range(4)
            ]
            categories = [
                Category.objects.create(name=f"C{i}", kind="expense").pk for i in range(8)
            ]
        token = token_pair_issue(user=user).access_token
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        return Client(), headers, accounts, categories

    cpu: list[float] = []

    def post(client: Client, headers: dict[str, str], body: bytes) -> float:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(
            "/transactions/bulk", body, content_type="application/json", **headers
        )
        elapsed = time.perf_counter() - started
        cpu.append(time.process_time() - cpu_started)
        if response.status_code != 201:
            raise SystemExit(f"bulk insert failed: {response.status_code} {response.content!r}")
        return elapsed

    results: dict[str, Any] = {"10k": [], "100k": []}
    for _ in range(runs):
        client, headers, accounts, categories = fresh_tenant()
        results["10k"].append(post(client, headers, _payload(accounts, categories, 0)))
    for _ in range(runs):
        client, headers, accounts, categories = fresh_tenant()
        bodies = [_payload(accounts, categories, batch) for batch in range(10)]
        results["100k"].append(sum(post(client, headers, body) for body in bodies))
    results["rows_in_db"] = Transaction.objects.unscoped().count()
    results["cpu_per_request"] = statistics.median(cpu)
    results["load"] = os.getloadavg()[0]
    return results


def _report(label: str, results: dict[str, Any]) -> None:
    for size, rows in (("10k", 10_000), ("100k", 100_000)):
        times = results[size]
        median = statistics.median(times)
        per_10k = median / (rows / ROWS_PER_REQUEST)
        print(
            f"{label:<11} {size:>5} rows: median {median:7.3f} s "
            f"({rows / median:9,.0f} rows/s, {per_10k:.3f} s per 10k) "
            f"runs: {', '.join(f'{t:.3f}' for t in times)}"
        )
    print(
        f"{label:<11} app CPU per 10k-row request (median): {results['cpu_per_request']:.3f} s; "
        f"load average during the run: {results['load']:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(_child(args.runs)))
        return

    root = Path(__file__).resolve().parent.parent
    print(f"POST /transactions/bulk, {ROWS_PER_REQUEST:,} rows per request, {args.runs} runs")
    for database in args.databases:
        with tempfile.TemporaryDirectory(prefix="findash-bench-") as tmp:
            if database == "sqlite":
                url = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL)
                if not pg_reachable(url):
                    print(f"postgres    SKIP: cannot reach {urlparse(url).netloc}")
                    continue
                pg_create_database(url)
            env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
            done = subprocess.run(
                [sys.executable, "-m", "bench.bulk_insert", "--child", "--runs", str(args.runs)],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"{database:<11} FAILED\n{done.stderr[-3000:]}")
                continue
            _report(database, json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
