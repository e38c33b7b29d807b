"""The opt-in monthly summary email: last month's income, expenses and budgets."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from findash.common.months import month_start
from findash.dashboard.periods import Period
from findash.dashboard.selectors import dashboard_data_get
from findash.notifications.emails import email_queue
from findash.notifications.preferences import summary_recipients
from findash.tenancy.models import Tenant


def monthly_summary_queue(*, tenant: Tenant, month: date) -> int:
    """Queue the summary of ``month`` for every member who opted in; once per month each."""
    recipients = summary_recipients(tenant=tenant)
    if not recipients:
        return 0
    first = month_start(month)
    last = month_start(first + timedelta(days=32)) - timedelta(days=1)
    data = dashboard_data_get(tenant=tenant, period=Period(start=first, end=last))
    label = first.strftime("%Y-%m")
    queued = 0
    with transaction.atomic():
        for user in recipients:
            queued += (
                email_queue(
                    tenant=tenant,
                    user=user,
                    key=f"monthly-summary:{tenant.pk}:{label}:user:{user.pk}",
                    subject=f"[findash] {tenant.name}: summary of {label}",
                    template="monthly_summary",
                    context={"month": label, "data": data},
                )
                is not None
            )
    return queued
