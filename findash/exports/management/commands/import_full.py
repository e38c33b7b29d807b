"""manage.py import_full FILE --tenant ID: restore a full.json export into an empty tenant
(the same service as POST /imports/full, without the upload size limit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from findash.common.errors import DomainError, InvalidInput
from findash.exports.restore import full_restore
from findash.imports.management.commands.import_transactions import tenant_by_public_id


class Command(BaseCommand):
    help = "Restore a full.json export into an empty tenant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--tenant", required=True, help="tenant id, e.g. user_3 or org_5")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_by_public_id(options["tenant"])
        try:
            counts = full_restore(tenant=tenant, data=options["file"].read_bytes())
        except InvalidInput as exc:
            raise CommandError(f"{'/'.join(map(str, exc.loc))}: {exc.msg}") from exc
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))
