"""manage.py import_transactions FILE --tenant ID --account ID [--format F] [--mapping JSON]
[--dry-run]: the same import service as POST /imports, for files on the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from findash.imports.parsers.csv_file import mapping_parse
from findash.imports.services import FORMATS, import_file
from findash.tenancy.scope_edges import tenant_command
from findash.tenancy.tenant import Tenant

_SUFFIX_FORMATS = {".csv": "csv", ".ofx": "ofx", ".qfx": "qfx", ".xml": "camt053"}


class Command(BaseCommand):
    help = "Import a CSV, OFX/QFX or CAMT.053 bank file into an account (de-duplicated)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--tenant", required=True, help="tenant id, e.g. user_3 or org_5")
        parser.add_argument("--account", required=True, type=int, help="account id")
        parser.add_argument(
            "--format", choices=FORMATS, help="default: from the file name's suffix"
        )
        parser.add_argument("--mapping", help="CSV mapping as JSON, or @path to a JSON file")
        parser.add_argument("--dry-run", action="store_true", help="preview; write nothing")

    @tenant_command
    def handle(self, tenant: Tenant, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        fmt = options["format"] or _SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise CommandError(f"cannot tell the format of {path.name}; give --format")
        mapping_raw = options["mapping"]
        if mapping_raw and mapping_raw.startswith("@"):
            mapping_raw = Path(mapping_raw[1:]).read_text(encoding="utf-8")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        result = import_file(
            tenant=tenant,
            account_id=options["account"],
            fmt=fmt,
            data=data,
            filename=path.name,
            mapping=mapping_parse(mapping_raw),
            dry_run=options["dry_run"],
            preview_rows=0,
        )
        verb = "would create" if result.dry_run else "created"
        self.stdout.write(
            f"{path.name}: {result.row_count} rows; {verb} {result.created}, "
            f"skipped {result.duplicates} duplicates"
            + ("" if result.batch_id is None else f" (import {result.batch_id})")
        )
