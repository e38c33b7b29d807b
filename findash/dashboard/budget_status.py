"""Budget status per budget and calendar month, with rollover chained from ``start_date``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from findash.budgets.models import Budget
from findash.common.money import round_money
from findash.common.months import month_start, next_month
from findash.dashboard.flows import Flow
from findash.dashboard.fx import Converted
from findash.dashboard.reference import ReferenceData
from findash.dashboard.schemas import BudgetStatus

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


def budget_statuses(
    *,
    ref: ReferenceData,
    flows: list[Flow] | Callable[[str], list[Flow]],
    factor: Callable[[str, str, date], Fraction | None],
) -> list[BudgetStatus]:
    """One status per budget and month of the period; ``flows`` are whole months' flows
    (or, per budget currency, those flows already converted into it) and ``factor``
    converts (warning when it cannot)."""

    keyed: dict[str | None, dict[int, list[Flow]]] = {}

    def by_currency(currency: str) -> dict[int, list[Flow]]:
        choice = currency if callable(flows) else None
        if choice not in keyed:
            found = keyed[choice] = defaultdict(list)
            for flow in flows(currency) if callable(flows) else flows:
                found[flow.category_key].append(flow)
        return keyed[choice]

    expense_ids = ref.expense_ids
    found: list[BudgetStatus] = []
    for budget in ref.budgets:
        currency = budget.currency
        by_key = by_currency(currency)
        spent_by_month: dict[date, Converted] = defaultdict(Converted)
        first = month_start(budget.start_date)
        for key in ref.descendants(budget.category_id) & expense_ids:
            for flow in by_key.get(key, ()):
                if flow.month < first:
                    continue
                rate = factor(flow.currency, currency, flow.day)
                if rate is not None:
                    spent_by_month[flow.month].add(-flow.total, rate)
        amount = round_money(budget.amount, currency)
        name = ref.categories[budget.category_id].name
        carry = Decimal(0)
        month = first
        while month <= ref.last_month:
            limit = amount + carry
            spent = spent_by_month[month].rounded(currency)
            remaining = limit - spent
            if month >= ref.first_month:
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
