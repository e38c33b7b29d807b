"""SQL expressions that add money up exactly on every database.

SQLite stores ``DecimalField`` values with REAL affinity, so ``SUM(amount)`` over
many rows can drift by fractions of a cent. Each value is therefore rounded to
integer hundredths first (amounts are stored with two places) and the integers
are summed: exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

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
