"""Budget alert emails: tell a tenant's owners when a budget reaches its threshold or goes over."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from findash.common.months import month_end, month_start
from findash.dashboard.periods import Period
from findash.dashboard.schemas import BudgetStatus
from findash.dashboard.selectors import dashboard_budgets_get
from findash.notifications.models import BudgetAlert
from findash.tenancy.models import Role, Tenant
from findash.tenancy.scoping import tenant_scope


def _owner_emails(tenant: Tenant) -> list[str]:
    owners = User.objects.filter(
        memberships__tenant=tenant, memberships__role=Role.OWNER, is_active=True
    ).exclude(email="")
    return sorted(owners.values_list("email", flat=True))


def _line(status: BudgetStatus) -> str:
    used = f"{status.percent_used}%" if status.percent_used is not None else "no limit left"
    return (
        f"- {status.category_name} ({status.month}): {status.status.upper()}, "
        f"spent {status.spent} of {status.limit} {status.currency} ({used}), "
        f"remaining {status.remaining} {status.currency}"
    )


def budget_alerts_notify(*, tenant: Tenant, today: date | None = None) -> int:
    """Email the owners about this month's budgets at warning or over not yet announced.

    Returns the number of budgets announced. The record of what was sent and the
    email go together: if sending fails, nothing is recorded and a retry sends again.
    """
    today = today or timezone.localdate()
    month = month_start(today)
    period = Period(start=month, end=month_end(today))
    recipients = _owner_emails(tenant)
    if not recipients:
        return 0
    with tenant_scope(tenant), transaction.atomic():
        statuses = [s for s in dashboard_budgets_get(tenant=tenant, period=period) if s.alert]
        announced = set(BudgetAlert.objects.filter(month=month).values_list("budget_id", "status"))
        fresh = [s for s in statuses if (s.budget_id, s.status) not in announced]
        if not fresh:
            return 0
        BudgetAlert.objects.bulk_create(
            BudgetAlert(tenant=tenant, budget_id=s.budget_id, month=month, status=s.status)
            for s in fresh
        )
        over = sum(1 for s in fresh if s.status == BudgetAlert.Status.OVER)
        subject = f"[findash] {tenant.name}: {len(fresh)} budget alert(s) for {month:%Y-%m}" + (
            f", {over} over budget" if over else ""
        )
        body = "\n".join(
            [
                f"Budgets of {tenant.name} ({tenant.public_id}) that need attention:",
                "",
                *(_line(s) for s in fresh),
                "",
                "You receive this because you own this tenant in findash.",
            ]
        )
        send_mail(subject, body, from_email=None, recipient_list=recipients)
    return len(fresh)
