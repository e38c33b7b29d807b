"""A period's income and expenses, overall, per month and per category, converted exactly
into the base currency (``Dashboard.flow_totals``).

A flow counts as income or expense by its category's kind; an uncategorized flow (or one
whose category is gone) counts its inflow as income and its outflow as an expense.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from findash.common.fx_rates import ONE
from findash.dashboard.flows import Flow
from findash.dashboard.fx import Converted
from findash.dashboard.reference import CategoryRow
from findash.ledger.models import Category

INCOME = Category.Kind.INCOME.value
EXPENSE = Category.Kind.EXPENSE.value

Factor = Callable[[str, str, date], Fraction | None]


@dataclass
class Bucket:
    """Income and expenses (each converted exactly) and the count behind them."""

    income: Converted = field(default_factory=Converted)
    expenses: Converted = field(default_factory=Converted)


@dataclass
class CategoryBucket:
    total: Converted = field(default_factory=Converted)
    count: int = 0


@dataclass
class FlowTotals:
    overall: Bucket = field(default_factory=Bucket)
    by_month: dict[date, Bucket] = field(default_factory=lambda: defaultdict(Bucket))
    # (category_id or None, kind) -> total and count
    by_category: dict[tuple[int | None, str], CategoryBucket] = field(
        default_factory=lambda: defaultdict(CategoryBucket)
    )
    count: int = 0

    def add_category(self, category_id: int | None, kind: str, amount: Any, count: int) -> None:
        """A category's amount (positive = more of ``kind``) in the base currency."""
        if count == 0 and amount == 0:
            return
        row = self.by_category[(category_id, kind)]
        row.count += count
        row.total.add(amount, ONE)

    def add_kind(self, month: date, kind: str, amount: Any, factor: Fraction = ONE) -> None:
        """Income or expenses of ``month`` (converted at ``factor``), overall too."""
        overall, bucket = self.overall, self.by_month[month]
        if kind == INCOME:
            overall.income.add(amount, factor)
            bucket.income.add(amount, factor)
        else:
            overall.expenses.add(amount, factor)
            bucket.expenses.add(amount, factor)


def classify(
    categories: dict[int, CategoryRow], flow: Flow
) -> list[tuple[int | None, str, Any, int]]:
    """(category_id, kind, amount counted for that kind (positive = more of it), count)."""
    category = categories.get(flow.category_key)
    if category is None:
        return [
            (None, INCOME, flow.inflow, flow.inflow_count),
            (None, EXPENSE, flow.outflow, flow.count - flow.inflow_count),
        ]
    if category.kind == INCOME:
        return [(category.id, INCOME, flow.total, flow.count)]
    return [(category.id, EXPENSE, -flow.total, flow.count)]


def flow_totals_of(
    flows: Iterable[Flow], base: str, categories: dict[int, CategoryRow], factor: Factor
) -> FlowTotals:
    """Totals of flows of any currency, one per currency, category and month (or day)."""
    totals = FlowTotals()
    for flow in flows:
        totals.count += flow.count
        # The base currency converts at 1 without a rate look-up (nor a warning).
        rate = ONE if flow.currency == base else factor(flow.currency, base, flow.day)
        for category_id, kind, amount, count in classify(categories, flow):
            if count == 0 and amount == 0:
                continue
            row = totals.by_category[(category_id, kind)]
            row.count += count
            if rate is None:
                continue
            row.total.add(amount, rate)
            totals.add_kind(flow.month, kind, amount, rate)
    return totals
