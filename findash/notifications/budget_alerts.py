"""Budget alerts at write time, exactly once per budget, month and level.

A ledger or budget write adds a ``ledger_written`` outbox row in its own
transaction (see ``receivers``). Running that row, after the commit, recomputes
the status of the affected budget-months from committed data, so concurrent
writes that cross a threshold together are seen by whichever check runs last.
Each level reached inserts a :class:`BudgetAlert` key; the unique constraint
lets exactly one check win it, and the winner queues the emails and webhook
events in the same transaction. Falling back below a level and crossing it again
finds the key taken: no second alert that month.

Months before the current one are not alerted (importing last year's history
should not send a year of alerts); a write to an earlier month still counts for
the current month of a budget with rollover.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from findash.budgets.models import Budget
from findash.common.months import month_end, month_start
from findash.dashboard.periods import Period
from findash.dashboard.schemas import BudgetStatus
from findash.dashboard.selectors import dashboard_budgets_get
from findash.ledger.models import Category
from findash.notifications.emails import email_queue
from findash.notifications.events import BUDGET_THRESHOLD_CROSSED, event_publish, money_text
from findash.notifications.models import BudgetAlert, OutboxMessage
from findash.notifications.outbox import outbox_handler
from findash.notifications.preferences import alert_recipients
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import current_tenant

LEVELS = (BudgetAlert.Status.WARNING, BudgetAlert.Status.OVER)


def _with_ancestors(category_ids: set[int]) -> set[int]:
    """A budget on a category covers its subcategories: a write to a child touches it too."""
    parents = dict(Category.objects.values_list("id", "parent_id"))
    found: set[int] = set()
    for category_id in category_ids:
        current: int | None = category_id
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return found


def _months_to_check(budget: Budget, months: set[date], this_month: date) -> set[date]:
    first = month_start(budget.start_date)
    found = {m for m in months if m >= this_month}
    if budget.rollover != Budget.Rollover.NONE and any(m < this_month for m in months):
        found.add(this_month)  # an earlier month's change carries into this one
    return {m for m in found if m >= first}


def _alert_data(status: BudgetStatus, budget: Budget, level: str) -> dict[str, Any]:
    currency = status.currency
    return {
        "budget_id": status.budget_id,
        "category_id": status.category_id,
        "category_name": status.category_name,
        "month": status.month,
        "level": level,
        "currency": currency,
        "limit": money_text(status.limit, currency),
        "spent": money_text(status.spent, currency),
        "remaining": money_text(status.remaining, currency),
        "percent_used": None if status.percent_used is None else str(status.percent_used),
        "alert_threshold": str(budget.alert_threshold),
    }


def _key_won(tenant: Tenant, budget: Budget, month: date, level: str) -> bool:
    try:
        with transaction.atomic():
            BudgetAlert.objects.create(tenant=tenant, budget=budget, month=month, status=level)
    except IntegrityError:
        return False  # announced already, by this check's past or a concurrent one
    return True


def _announce(tenant: Tenant, budget: Budget, status: BudgetStatus) -> str | None:
    """Take the keys of every level reached; announce the highest newly taken one."""
    month = date.fromisoformat(status.month + "-01")
    reached = LEVELS[: LEVELS.index(BudgetAlert.Status(status.status)) + 1]
    won = [level for level in reached if _key_won(tenant, budget, month, level)]
    if not won:
        return None
    level = won[-1]  # a jump straight past 100 % sends "over" only
    data = _alert_data(status, budget, level)
    event_publish(tenant=tenant, event_type=BUDGET_THRESHOLD_CROSSED, data=data)
    subject = (
        f"[findash] {'Over budget' if level == 'over' else 'Budget warning'}: "
        f"{status.category_name} {status.month} at "
        + (f"{data['percent_used']}%" if data["percent_used"] is not None else "no limit left")
    )
    for user in alert_recipients(tenant=tenant):
        email_queue(
            tenant=tenant,
            user=user,
            key=f"budget-alert:{budget.pk}:{status.month}:{level}:user:{user.pk}",
            subject=subject,
            template="budget_alert",
            context={"alert": data, "level": level},
        )
    return level


def budget_alerts_check(*, tenant: Tenant, category_ids: set[int], months: set[date]) -> int:
    """Announce the budget-months these categories and months pushed past a level.

    Returns the number of alerts announced. Runs in the caller's transaction.
    """
    budgets = list(Budget.objects.filter(category_id__in=_with_ancestors(category_ids)))
    if not budgets:
        return 0
    this_month = month_start(timezone.localdate())
    by_month: dict[date, dict[int, Budget]] = {}
    for budget in budgets:
        for month in _months_to_check(budget, months, this_month):
            by_month.setdefault(month, {})[budget.pk] = budget
    announced = 0
    for month, wanted in sorted(by_month.items()):
        period = Period(start=month, end=month_end(month))
        for status in dashboard_budgets_get(tenant=tenant, period=period):
            if status.alert and status.budget_id in wanted:
                announced += _announce(tenant, wanted[status.budget_id], status) is not None
    return announced


@outbox_handler(OutboxMessage.Topic.LEDGER_WRITTEN, in_transaction=True)
def ledger_written_run(message: OutboxMessage) -> None:
    payload = message.payload
    budget_alerts_check(
        tenant=current_tenant(),
        category_ids={int(c) for c in payload.get("category_ids", [])},
        months={date.fromisoformat(m) for m in payload.get("months", [])},
    )


def budget_alerts_sweep(*, tenant: Tenant) -> int:
    """This month's check of every budget (beat: catches what a rate change moved)."""
    category_ids = set(Budget.objects.values_list("category_id", flat=True))
    return budget_alerts_check(
        tenant=tenant, category_ids=category_ids, months={month_start(timezone.localdate())}
    )
