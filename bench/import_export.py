"""Import/export benchmark: 100k CSV rows through the import service, and streaming
exports of a 1M-transaction tenant with the exporting process's peak memory.

    python -m bench.import_export                      # SQLite (temp file)
    python -m bench.import_export --rows 100000 --export-rows 1000000 --runs 3

Targets (issue 10): the import under 10 s on SQLite; each export streams in under
100 MB of memory (the growth of the process while it streams; the bare Django
process's own resident size is printed beside it). Each measurement runs in its
own child process, so the peak resident set size (``ru_maxrss``) is that step's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

IMPORT_TARGET_S = 10.0
EXPORT_TARGET_MB = 100.0


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    django.setup()


def _tenant(name: str) -> Any:
    from findash.tenancy.models import Tenant

    return Tenant.objects.create(tenant_type=Tenant.Type.ORGANIZATION, name=name)


def _csv(rows: int) -> bytes:
    lines = ["Date;Payee;Text;Amount"]
    start = date(2020, 1, 1)
    for i in range(rows):
        day = start + timedelta(days=i % 2000)
        sign = "-" if i % 4 else ""
        lines.append(f"{day:%d.%m.%Y};Payee {i % 300};Row {i};{sign}{i % 997},{i % 100:02d}")
    return ("\n".join(lines) + "\n").encode()


def _child_import(rows: int, runs: int) -> dict[str, Any]:
    _setup()
    from django.core.management import call_command
    from django.test import override_settings

    from findash.imports.parsers.csv_file import CsvMapping
    from findash.imports.services import import_file
    from findash.ledger.models import Account
    from findash.tenancy.scoping import tenant_scope

    call_command("migrate", verbosity=0, interactive=False)
    data = _csv(rows)
    mapping = CsvMapping(
        date="Date",
        payee="Payee",
        description="Text",
        amount="Amount",
        date_format="%d.%m.%Y",
        decimal_separator=",",
        delimiter=";",
    )
    timings, again, cpu = [], [], []
    with override_settings(IMPORT_MAX_BYTES=len(data) + 1):
        for run in range(runs):
            tenant = _tenant(f"import-{run}")
            with tenant_scope(tenant):  # as the API's auth enters it for a request
                account = Account.objects.create(
                    name="Bench", type="checking", currency="USD", opening_balance=0
                )
                arguments: dict[str, Any] = {
                    "tenant": tenant,
                    "account_id": account.pk,
                    "fmt": "csv",
                    "data": data,
                    "mapping": mapping,
                    "preview_rows": 0,
                }
                started, cpu_started = time.perf_counter(), time.process_time()
                result = import_file(**arguments)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                assert result.created == rows, result.created
                started = time.perf_counter()
                result = import_file(**arguments)
                again.append(time.perf_counter() - started)
                assert result.created == 0 and result.duplicates == rows
    return {
        "rows": rows,
        "bytes": len(data),
        "import_s": round(statistics.median(timings), 2),
        "import_cpu_s": round(statistics.median(cpu), 2),
        "reimport_all_duplicates_s": round(statistics.median(again), 2),
    }


def _child_seed(rows: int) -> dict[str, Any]:
    """A tenant with ``rows`` transactions, written through the ledger's bulk path."""
    _setup()
    from django.core.management import call_command

    from findash.ledger.bulk import NewTransaction, transaction_bulk_insert
    from findash.ledger.models import Account, Category
    from findash.tenancy.scoping import tenant_scope

    call_command("migrate", verbosity=0, interactive=False)
    tenant = _tenant("export")
    started = time.perf_counter()
    with tenant_scope(tenant):
        accounts = [
            Account.objects.create(name=f"A{i}", type=t, currency="USD", opening_balance=100)
            for i, t in enumerate(("checking", "savings", "credit_card"))
        ]
        categories = [
            Category.objects.create(name=f"C{i}", kind="expense" if i % 3 else "income")
            for i in range(12)
        ]
    with tenant_scope(tenant):
        start = date(2016, 1, 1)
        batch = 50_000
        for offset in range(0, rows, batch):
            transaction_bulk_insert(
                tenant=tenant,
                rows=[
                    NewTransaction(
                        tenant_id=tenant.pk,
                        account_id=accounts[i % 3].pk,
                        date=start + timedelta(days=i % 3650),
                        amount=Decimal(f"{'-' if i % 4 else ''}{i % 997}.{i % 100:02d}"),
                        currency="USD",
                        category_id=categories[i % 12].pk if i % 5 else None,
                        description=f"bench row {i}",
                        payee=f"Payee {i % 300}",
                    )
                    for i in range(offset, min(offset + batch, rows))
                ],
            )
    return {
        "tenant": tenant.public_id,
        "rows": rows,
        "seed_s": round(time.perf_counter() - started, 1),
    }


def _child_export(tenant_id: str, fmt: str) -> dict[str, Any]:
    _setup()
    from findash.exports.management.commands.export_tenant import WRITERS
    from findash.exports.tables import tenant_tables_get
    from findash.tenancy.scope_edges import command_tenant
    from findash.tenancy.scoping import tenant_scope

    tenant = command_tenant(tenant_id)
    with tenant_scope(tenant):
        tables = tenant_tables_get(tenant=tenant)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    size = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for chunk in WRITERS[fmt](tables):
            size += len(chunk)
            sink.write(chunk)
    return {
        "format": fmt,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "megabytes_written": round(size / 1e6, 1),
        "rss_before_mb": round(before_mb, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _spawn(env: dict[str, str], *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.import_export", "--child", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"child {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:
        load = os.getloadavg()[0]
        print(f"   load average {load:.1f} on {os.cpu_count()} CPUs: wall times include waiting")
    if args.child:
        step, *rest = args.child
        if step == "import":
            answer = _child_import(int(rest[0]), int(rest[1]))
        elif step == "seed":
            answer = _child_seed(int(rest[0]))
        else:
            answer = _child_export(rest[0], rest[1])
        print(json.dumps(answer))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
        imported = _spawn(env, "import", str(args.rows), str(args.runs))
        verdict = "✅" if imported["import_s"] < IMPORT_TARGET_S else "❌"
        print(
            f"{verdict} SQLite import of {imported['rows']:,} CSV rows "
            f"({imported['bytes']:,} bytes): {imported['import_s']} s "
            f"(CPU {imported['import_cpu_s']} s; median of {args.runs}; "
            f"target < {IMPORT_TARGET_S:.0f} s); "
            f"the same file again (all duplicates): {imported['reimport_all_duplicates_s']} s"
        )
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'export.sqlite3'}"}
        seeded = _spawn(env, "seed", str(args.export_rows))
        print(f"   seeded {seeded['rows']:,} transactions in {seeded['seed_s']} s")
        for fmt in ("csv", "json", "ledger"):
            done = _spawn(env, "export", seeded["tenant"], fmt)
            growth = round(done["peak_rss_mb"] - done["rss_before_mb"], 1)
            verdict = "✅" if growth < EXPORT_TARGET_MB else "❌"
            print(
                f"{verdict} export {fmt:6} of {seeded['rows']:,} transactions: "
                f"{done['seconds']} s (CPU {done['cpu_seconds']} s), "
                f"{done['megabytes_written']} MB written; memory: "
                f"+{growth} MB while streaming (target < {EXPORT_TARGET_MB:.0f} MB), "
                f"peak RSS {done['peak_rss_mb']} MB of which {done['rss_before_mb']} MB is the "
                "Django process before the export"
            )


if __name__ == "__main__":
    main()
