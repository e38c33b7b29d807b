"""``manage.py rebuild_rollups [--tenant ID]``: recompute the dashboard rollups from scratch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from findash.ledger.rollup_rebuild import rollups_rebuild
from findash.tenancy.models import Tenant


def tenants_named(public_id: str | None) -> list[Tenant]:
    """All tenants, or the one with this public id (``user_3``, ``org_4``)."""
    if public_id is None:
        return list(Tenant.objects.order_by("pk"))
    parsed = Tenant.parse_public_id(public_id)
    tenant = Tenant.objects.filter(pk=parsed[1], tenant_type=parsed[0]).first() if parsed else None
    if tenant is None:
        raise CommandError(f"no tenant {public_id!r} (use a public id such as user_3 or org_4)")
    return [tenant]


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
