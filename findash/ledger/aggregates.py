"""SQL expressions that add money up exactly on every database, and the date-range
filters the rollup reads share.

SQLite stores ``DecimalField`` values with REAL affinity, so ``SUM(amount)`` over
many rows can drift by fractions of a cent. Each value is therefore rounded to
integer hundredths first (amounts are stored with two places) and the integers
are summed: exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from findash.common.months import month_end, next_month

CENTS_PER_UNIT = 100


def cents(field: str) -> Cast:
    """The field's value in integer hundredths."""
    return Cast(Round(F(field) * CENTS_PER_UNIT), output_field=BigIntegerField())


def sum_cents(field: str, condition: Q | None = None) -> Coalesce:
    value = cents(field)
    if condition is not None:
        return Coalesce(
            Sum(Case(When(condition, then=value), default=Value(0))),
            Value(0),
            output_field=BigIntegerField(),
        )
    return Coalesce(Sum(value), Value(0), output_field=BigIntegerField())


def count_where(condition: Q) -> Coalesce:
    return Coalesce(
        Sum(Case(When(condition, then=Value(1)), default=Value(0))),
        Value(0),
        output_field=BigIntegerField(),
    )


def is_transfer() -> ExpressionWrapper[Q]:
    return ExpressionWrapper(Q(transfer_id__isnull=False), output_field=BooleanField())


def category_key() -> Coalesce:
    return Coalesce(F("category_id"), Value(0), output_field=BigIntegerField())


def grouped(
    queryset: QuerySet[Any], keys: dict[str, Any], sums: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """``GROUP BY keys`` with ``sums``; rows are tuples in the order keys then sums.

    A key's value is a field name (str) or an expression.
    """
    plain = [name for name, value in keys.items() if isinstance(value, str) and value == name]
    named = {
        name: F(value) if isinstance(value, str) else value
        for name, value in keys.items()
        if name not in plain
    }
    names = [*keys, *sums]
    return list(queryset.order_by().values(*plain, **named).annotate(**sums).values_list(*names))


def rollup_sums() -> dict[str, Any]:
    """The sums of flow rollup rows (``FlowRollup``'s figures), exact per ``sum_cents``."""
    return {
        "total": sum_cents("total"),
        "inflow": sum_cents("inflow"),
        "outflow": sum_cents("outflow"),
        "count": Sum("count"),
        "inflow_count": Sum("inflow_count"),
    }


def in_ranges(condition_field: str, ranges: list[tuple[date, date]]) -> Q:
    """``condition_field`` inside any of the inclusive date ranges (nothing when none)."""
    found = Q(pk__in=[])
    for first, last in ranges:
        found |= Q(**{f"{condition_field}__range": (first, last)})
    return found


def month_runs(months: Iterable[date]) -> list[tuple[date, date]]:
    """Contiguous runs of months (first days, in any order) as inclusive date ranges."""
    runs: list[tuple[date, date]] = []
    for month in sorted(set(months)):
        if runs and next_month(runs[-1][1]) == month:
            runs[-1] = (runs[-1][0], month_end(month))
        else:
            runs.append((month, month_end(month)))
    return runs
