"""``manage.py rebuild_rollups [--tenant ID]``: recompute the dashboard rollups from scratch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from findash.ledger.rollup_rebuild import rollups_rebuild
from findash.tenancy.models import Tenant
from findash.tenancy.scope_edges import command_tenant


def tenants_named(public_id: str | None) -> list[Tenant]:
    """All tenants, or the one with this public id (``user_3``, ``org_4``)."""
    if public_id is None:
        return list(Tenant.objects.order_by("pk"))
    return [command_tenant(public_id)]


class Command(BaseCommand):
    help = (
        "Rebuild every rollup (flows and payee spending, per month and per day) of every "
        "tenant (or one) from its transactions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="public tenant id, e.g. user_3 or org_4")

    def handle(self, *args: Any, **options: Any) -> None:
        for tenant in tenants_named(options.get("tenant")):
            rows = rollups_rebuild(tenant=tenant)
            self.stdout.write(f"{tenant.public_id}: {rows} rollup rows")
