"""Operator tasks that need Django, run inside one installed release by the deploy scripts.

    release_ops.py plan                     pending migrations; exit 3 if any is destructive
    release_ops.py prepare --state DIR [--seed] [--force]   the plan (exit 3 if destructive),
                                            migrate (exit 4 on failure), collectstatic,
                                            demo data, the validation user (+ DIR/validator)
    release_ops.py validator --state DIR    only the validation user
    release_ops.py integrity [--save F] [--compare F]   row counts and checksums per table

The environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, ...) comes from ci/scripts/lib.sh.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import django

VALIDATOR = "deploy-validator"
DESTRUCTIVE_SQL = re.compile(r"DROP TABLE|DROP COLUMN|RENAME (COLUMN|TO)", re.IGNORECASE)


def migration_plan() -> int:
    """Print what `migrate` would do; exit 3 when a pending migration drops or renames.

    Blue-green runs the old release against the migrated schema until the switch,
    so only additive (expand) migrations are safe while it still serves.
    """
    from django.db import connection, migrations
    from django.db.migrations.executor import MigrationExecutor

    destructive_ops = (
        migrations.RemoveField,
        migrations.DeleteModel,
        migrations.RenameField,
        migrations.RenameModel,
        migrations.AlterModelTable,
    )
    executor = MigrationExecutor(connection)
    applied = len(executor.loader.applied_migrations)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    problems: list[str] = []
    for migration, _backwards in plan:
        label = f"{migration.app_label}.{migration.name}"
        print(label)
        for op in migration.operations:
            print(f"    {op.describe()}")
            if isinstance(op, destructive_ops):
                problems.append(f"{label}: {op.describe()}")
        if connection.vendor == "postgresql":
            node = executor.loader.graph.nodes[(migration.app_label, migration.name)]
            for statement in executor.loader.collect_sql([(node, False)]):
                if DESTRUCTIVE_SQL.search(statement):
                    problems.append(f"{label}: {statement.strip()[:160]}")
    print(f"APPLIED={applied} PENDING={len(plan)} DESTRUCTIVE={len(problems)}")
    for problem in problems:
        print(f"destructive: {problem}")
    # A fresh database has no old release reading it: nothing to protect yet.
    return 3 if problems and applied else 0


def prepare(state: Path, seed: bool, force: bool) -> int:
    from django.core.management import call_command, get_commands

    if migration_plan() == 3 and not force:
        return 3
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as exc:
        print(f"migration failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 4
    print("migrations applied")
    call_command("collectstatic", interactive=False, verbosity=0)
    if seed and "seed_demo" in get_commands():
        call_command("seed_demo", verbosity=0)
        print("demo data seeded")
    ensure_validator(state)
    return 0


def ensure_validator(state: Path) -> None:
    from django.contrib.auth.models import User

    from findash.tenancy.services import user_register
    from findash.tenancy.tokens import token_pair_issue

    creds_file = state / "validator"
    creds: dict[str, Any] = {}
    if creds_file.exists():
        creds = json.loads(creds_file.read_text())
    password = creds.get("password") or secrets.token_urlsafe(24)
    user = User.objects.filter(username=VALIDATOR).first()
    if user is None:
        user_register(username=VALIDATOR, password=password)
        user = User.objects.get(username=VALIDATOR)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    token = token_pair_issue(user=user).access_token
    creds_file.write_text(json.dumps({"username": VALIDATOR, "password": password, "token": token}))
    creds_file.chmod(0o600)
    print(f"validation user {VALIDATOR} ready")


def _table_digest(cursor: Any, table: str, quote: Any) -> tuple[int, str]:
    cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from introspection
    rows = sorted(repr(tuple(str(v) for v in row)) for row in cursor.fetchall())
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return len(rows), digest


def integrity_snapshot() -> dict[str, dict[str, Any]]:
    from django.db import connection

    snapshot: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            count, digest = _table_digest(cursor, table, connection.ops.quote_name)
            snapshot[table] = {"rows": count, "sha256": digest}
    return snapshot


# Tables whose rows come and go by design (sessions, tokens, login attempts,
# flags' audit): a count going down there is not lost data.
VOLATILE = ("django_session", "tenancy_refreshtoken", "django_admin_log")


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    problems = []
    for table, info in before.items():
        if table in VOLATILE:
            continue
        now = after.get(table)
        if now is None:
            problems.append(f"table {table} is gone")
        elif now["rows"] < info["rows"]:
            problems.append(f"table {table} lost rows: {info['rows']} -> {now['rows']}")
    return problems


def verify_rollups() -> str:
    from django.core.management import call_command, get_commands

    if "verify_rollups" not in get_commands():
        return "skipped: this release has no verify_rollups command"
    out = StringIO()
    call_command("verify_rollups", stdout=out, stderr=out)
    return out.getvalue().strip() or "ok"


def integrity(save: Path | None, against: Path | None) -> int:
    snapshot = integrity_snapshot()
    for table, info in snapshot.items():
        print(f"{table:45} {info['rows']:>9} rows  sha256 {info['sha256'][:16]}")
    status = 0
    try:
        print(f"✅ Rollups verified: {verify_rollups()}")
    except Exception as exc:  # the command reports drift by raising CommandError
        print(f"❌ Rollups do not match the transactions: {exc}")
        status = 1
    if save is not None:
        save.write_text(json.dumps(snapshot, indent=1, sort_keys=True))
        print(f"snapshot written to {save}")
    if against is not None:
        problems = compare(json.loads(against.read_text()), snapshot)
        for problem in problems:
            print(f"❌ {problem}")
        if problems:
            status = 1
        else:
            print(f"✅ No data loss detected against {against}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("plan")
    p = sub.add_parser("prepare")
    p.add_argument("--state", required=True, type=Path)
    p.add_argument("--seed", action="store_true")
    p.add_argument("--force", action="store_true", help="apply destructive migrations too")
    v = sub.add_parser("validator")
    v.add_argument("--state", required=True, type=Path)
    i = sub.add_parser("integrity")
    i.add_argument("--save", type=Path)
    i.add_argument("--compare", type=Path)
    args = parser.parse_args(argv)

    sys.path.insert(0, os.getcwd())
    django.setup()
    if args.command == "plan":
        return migration_plan()
    if args.command == "prepare":
        return prepare(args.state, args.seed, args.force)
    if args.command == "validator":
        ensure_validator(args.state)
        return 0
    return integrity(args.save, args.compare)


if __name__ == "__main__":
    sys.exit(main())
