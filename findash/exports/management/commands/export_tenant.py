"""manage.py export_tenant --tenant ID --format csv|json|ledger [--output FILE]: the same
streams as GET /exports/*, written to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from findash.exports.csv_export import transactions_csv
from findash.exports.json_export import full_json
from findash.exports.ledger_export import journal
from findash.exports.tables import tenant_tables_get
from findash.tenancy.scope_edges import tenant_command
from findash.tenancy.tenant import Tenant

WRITERS = {"csv": transactions_csv, "json": full_json, "ledger": journal}


class Command(BaseCommand):
    help = "Export a tenant as transactions.csv, full.json or an hledger journal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="tenant id, e.g. user_3 or org_5")
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("--output", type=Path, help="default: standard output")

    @tenant_command
    def handle(self, tenant: Tenant, options: dict[str, Any]) -> None:
        tables = tenant_tables_get(tenant=tenant)
        chunks = WRITERS[options["format"]](tables)
        if options["output"] is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with options["output"].open("w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
