"""Celery tasks: take ids, enter the tenant scope once (``tenant_task``), call one service.

Failures of outbox rows are retried by the outbox itself (backoff, then parked),
so ``outbox_process`` always finishes and acks: a poison row cannot loop in the broker.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from findash.budgets.models import Budget
from findash.common.months import month_start
from findash.ledger.rollup_rebuild import rollups_verify
from findash.notifications.budget_alerts import budget_alerts_sweep
from findash.notifications.models import NotificationPreference, OutboxMessage
from findash.notifications.outbox import outbox_process as outbox_process_run
from findash.notifications.outbox import outbox_prune as outbox_prune_run
from findash.notifications.outbox import outbox_resend_due
from findash.notifications.summary import monthly_summary_queue
from findash.tenancy.scope_edges import tenant_task
from findash.tenancy.tenant import Tenant

logger = logging.getLogger(__name__)

VERIFY_WINDOW = timedelta(hours=2)


@shared_task(acks_late=True)
def outbox_process(message_id: int) -> str:
    return outbox_process_run(message_id)


@shared_task
def outbox_resend() -> int:
    """Publish undelivered outbox rows again (every 30 s with beat)."""
    return outbox_resend_due()


@shared_task
def outbox_prune() -> int:
    return outbox_prune_run()


@shared_task
@tenant_task
def budget_alerts_send(tenant: Tenant) -> int:
    """Check this month's budgets of one tenant (alerts already sent are not repeated)."""
    return budget_alerts_sweep(tenant=tenant)


@shared_task
def budget_alerts_dispatch() -> int:
    """Queue :func:`budget_alerts_send` for every tenant with budgets (daily)."""
    # An operator-level sweep across tenants: each tenant's work runs in its own scope.
    tenant_ids = sorted(set(Budget.objects.unscoped().values_list("tenant_id", flat=True)))
    for tenant_id in tenant_ids:
        budget_alerts_send.delay(tenant_id)
    return len(tenant_ids)


@shared_task
@tenant_task
def rollups_verify_tenant(tenant: Tenant) -> int:
    differences = rollups_verify(tenant=tenant)
    for line in differences:
        logger.error("rollup verification: %s: %s", tenant.public_id, line)
    return len(differences)


@shared_task
def rollups_verify_recent() -> int:
    """Verify the rollups of every tenant that wrote to its ledger lately (hourly)."""
    since = timezone.now() - VERIFY_WINDOW
    tenant_ids = sorted(
        set(
            OutboxMessage.objects.unscoped()
            .filter(topic=OutboxMessage.Topic.LEDGER_WRITTEN, created_at__gte=since)
            .values_list("tenant_id", flat=True)
        )
    )
    for tenant_id in tenant_ids:
        rollups_verify_tenant.delay(tenant_id)
    return len(tenant_ids)


@shared_task
@tenant_task
def monthly_summary_send(tenant: Tenant, month: str) -> int:
    return monthly_summary_queue(tenant=tenant, month=date.fromisoformat(month))


@shared_task
def monthly_summary_dispatch() -> int:
    """On the 1st: queue last month's summary for tenants with an opted-in member."""
    last_month = month_start(month_start(timezone.localdate()) - timedelta(days=1))
    tenant_ids = sorted(
        set(
            NotificationPreference.objects.unscoped()
            .filter(monthly_summary=True)
            .values_list("tenant_id", flat=True)
        )
    )
    for tenant_id in tenant_ids:
        monthly_summary_send.delay(tenant_id, last_month.isoformat())
    return len(tenant_ids)
