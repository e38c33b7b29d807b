"""``manage.py verify_rollups [--tenant ID]``: exit 1 listing every rollup that differs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from findash.ledger.management.commands.rebuild_rollups import tenants_named
from findash.ledger.rollup_rebuild import rollups_verify


class Command(BaseCommand):
    help = "Check that the rollups equal a recomputation from the transactions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="public tenant id, e.g. user_3 or org_4")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for tenant in tenants_named(options.get("tenant")):
            differences = rollups_verify(tenant=tenant)
            for line in differences:
                self.stdout.write(f"{tenant.public_id}: {line}")
            failed += len(differences)
        if failed:
            raise CommandError(f"{failed} rollup rows differ from the transactions")
        self.stdout.write("rollups match the transactions")
