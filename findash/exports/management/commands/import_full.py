"""manage.py import_full FILE --tenant ID: restore a full.json export into an empty tenant
(the same service as POST /imports/full, without the upload size limit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from findash.exports.restore import full_restore
from findash.tenancy.scope_edges import tenant_command
from findash.tenancy.tenant import Tenant


class Command(BaseCommand):
    help = "Restore a full.json export into an empty tenant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--tenant", required=True, help="tenant id, e.g. user_3 or org_5")

    @tenant_command
    def handle(self, tenant: Tenant, options: dict[str, Any]) -> None:
        try:
            data = options["file"].read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        counts = full_restore(tenant=tenant, data=data)
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))
