"""``manage.py reset_tenant_data TENANT --confirm TENANT``: empty one tenant's ledger.

Deletes every budget alert, budget, transaction, account, category and exchange rate of the
tenant (its members, roles and API tokens stay), rebuilds its rollups (now empty) and bumps
its data version so no cached dashboard survives. All in one transaction: it deletes
everything or nothing. The tenant id must be typed twice (``--confirm``) so a slip of the
shell history cannot wipe a tenant. scripts/reset-tenant-data.sh asks for it interactively.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from findash.budgets.models import Budget
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.notifications.models import BudgetAlert
from findash.tenancy.scope_edges import tenant_command
from findash.tenancy.tenant import Tenant
from findash.tenancy.versioning import tenant_data_changed


class Command(BaseCommand):
    help = "Delete all ledger data of one tenant (accounts, transactions, budgets, rates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant", help="public tenant id, e.g. user_3 or org_4")
        parser.add_argument("--confirm", required=True, help="the same tenant id again")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["confirm"] != options["tenant"]:
            raise CommandError("--confirm does not repeat the tenant id: nothing was deleted")
        self._reset(**options)

    @tenant_command
    def _reset(self, tenant: Tenant, options: dict[str, Any]) -> None:
        public_id = options["tenant"]
        counts: dict[str, int] = {}
        with transaction.atomic():
            for label, model in (
                ("budget alerts", BudgetAlert),
                ("budgets", Budget),
                ("transactions", Transaction),
                ("accounts", Account),
                ("exchange rates", ExchangeRate),
            ):
                counts[label] = model.objects.all().delete()[1].get(model._meta.label, 0)
            # Subcategories first: a parent cannot go while a child points at it.
            counts["categories"] = 0
            while Category.objects.exists():
                leaves = Category.objects.exclude(
                    pk__in=Category.objects.filter(parent__isnull=False).values("parent")
                )
                counts["categories"] += leaves.delete()[1].get(Category._meta.label, 0)
            call_command("rebuild_rollups", tenant=public_id, stdout=self.stdout)
            transaction.on_commit(lambda: tenant_data_changed(tenant.pk))
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"{public_id} ({tenant.name}): deleted {summary}")
