"""Celery tasks: take ids, enter the tenant scope, call one service, retry on failure."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from findash.budgets.models import Budget
from findash.notifications.services import budget_alerts_notify
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, DatabaseError),
    retry_backoff=True,
    max_retries=5,
)
def budget_alerts_send(tenant_id: int) -> int:
    """Email the tenant's owners about budgets newly at warning or over this month."""
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        logger.info("budget alerts skipped: tenant %s no longer exists", tenant_id)
        return 0
    with tenant_scope(tenant):
        return budget_alerts_notify(tenant=tenant)


@shared_task
def budget_alerts_dispatch() -> int:
    """Queue :func:`budget_alerts_send` for every tenant with budgets (schedule it daily)."""
    # An operator-level sweep across tenants: each tenant's work runs in its own scope.
    tenant_ids = sorted(set(Budget.objects.unscoped().values_list("tenant_id", flat=True)))
    for tenant_id in tenant_ids:
        budget_alerts_send.delay(tenant_id)
    return len(tenant_ids)
