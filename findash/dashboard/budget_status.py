"""Budget status per budget and calendar month, with rollover chained from ``start_date``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from findash.budgets.models import Budget
from findash.common.money import round_money
from findash.dashboard.facts import Flow
from findash.dashboard.fx import Converted
from findash.dashboard.periods import month_start, next_month
from findash.dashboard.schemas import BudgetStatus
from findash.ledger.models import Category

if TYPE_CHECKING:
    from findash.dashboard.service import Dashboard

PERCENT_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def budget_status_of(
    limit: Decimal, spent: Decimal, threshold: Decimal
) -> tuple[Decimal | None, str]:
    """``percent_used`` (2 places) and ``status`` for one month."""
    if limit <= 0:
        return None, "over" if spent > limit else "ok"
    percent = (spent * HUNDRED / limit).quantize(PERCENT_PLACES, rounding=ROUND_HALF_EVEN) + 0
    # (+ 0: a tiny refund surplus is "0.00", never "-0.00")
    if spent * HUNDRED > HUNDRED * limit:
        return percent, "over"
    if spent * HUNDRED >= threshold * limit:
        return percent, "warning"
    return percent, "ok"


def _carry(rollover: str, remaining: Decimal) -> Decimal:
    if rollover == Budget.Rollover.FULL:
        return remaining
    if rollover == Budget.Rollover.SURPLUS:
        return max(remaining, Decimal(0))
    return Decimal(0)


def budget_statuses(dashboard: Dashboard) -> list[BudgetStatus]:
    facts = dashboard.facts
    by_key: dict[int, list[Flow]] = defaultdict(list)
    for flow in facts.whole_month_flows:
        by_key[flow.category_key].append(flow)
    expense_ids = {c.id for c in facts.categories.values() if c.kind == Category.Kind.EXPENSE}
    found: list[BudgetStatus] = []
    for budget in facts.budgets:
        currency = budget.currency
        spent_by_month: dict[date, Converted] = defaultdict(Converted)
        first = month_start(budget.start_date)
        for key in facts.descendants(budget.category_id) & expense_ids:
            for flow in by_key.get(key, ()):
                if flow.month < first:
                    continue
                factor = dashboard.factor(flow.currency, currency, flow.day)
                if factor is not None:
                    spent_by_month[flow.month].add(-flow.total, factor)
        amount = round_money(budget.amount, currency)
        name = facts.categories[budget.category_id].name
        carry = Decimal(0)
        month = first
        while month <= facts.last_month:
            limit = amount + carry
            spent = spent_by_month[month].rounded(currency)
            remaining = limit - spent
            if month >= facts.first_month:
                percent, status = budget_status_of(limit, spent, budget.alert_threshold)
                found.append(
                    BudgetStatus(
                        budget_id=budget.pk,
                        category_id=budget.category_id,
                        category_name=name,
                        month=month.strftime("%Y-%m"),
                        currency=currency,
                        limit=limit,
                        spent=spent,
                        remaining=remaining,
                        percent_used=percent,
                        status=status,
                        alert=status != "ok",
                    )
                )
            carry = _carry(budget.rollover, remaining)
            month = next_month(month)
    return found
