"""The period's largest outflows in base currency, found by walking an index per month.

Each (currency, month) of the period is read through the index of non-transfer
outflows ``(tenant, currency, month, amount, id)`` (ledger migration 0003): its
11 most negative rows in the period. Where the month's rate into the base is
constant, ranking by amount is ranking by base value, so those rows suffice,
however many rows share an amount. Where the rate changes inside the month, an
unseen row could still beat the 10th best; only then is the month read further,
down to the bound that the month's highest rate allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from django.db import connection
from django.db.models import Field, QuerySet

from findash.common.months import month_end
from findash.dashboard.fx import ONE
from findash.dashboard.reference import ReferenceData
from findash.ledger.models import TRANSACTION_FIELDS, Transaction

LARGEST = 10
_UNION_TERMS = 100  # SQLite allows 500 terms in a compound SELECT
_FIELDS = TRANSACTION_FIELDS


@dataclass(frozen=True, slots=True)
class Outflow:
    id: int
    account_id: int
    date: date
    amount: Decimal
    currency: str
    category_id: int | None
    description: str
    payee: str
    transfer_id: object
    bank_id: str
    created_at: datetime


def _converters() -> list[list[Any]]:
    """Per selected column, the converters the ORM applies to raw database values."""
    table = Transaction._meta.db_table
    found = []
    for name in _FIELDS:
        column = cast("Field[Any, Any]", Transaction._meta.get_field(name)).get_col(table)
        found.append(
            [(c, column) for c in connection.ops.get_db_converters(column)]
            + [(c, column) for c in column.get_db_converters(connection)]
        )
    return found


def _outflows(rows: list[tuple[Any, ...]]) -> list[Outflow]:
    converters = _converters()
    found = []
    for row in rows:
        values = list(row)
        for index, column_converters in enumerate(converters):
            for converter, column in column_converters:
                values[index] = converter(values[index], column, connection)
        found.append(Outflow(*values))
    return found


@dataclass(frozen=True)
class _Slice:
    currency: str
    month: date
    start: date
    end: date

    def queryset(self) -> QuerySet[Transaction]:
        return Transaction.objects.filter(
            currency=self.currency,
            month=self.month,
            transfer_id__isnull=True,
            amount__lt=0,
            date__range=(self.start, self.end),
        ).order_by("amount", "id")


def _slices(ref: ReferenceData) -> list[_Slice]:
    period, found = ref.period, []
    for currency in ref.currencies:
        first = ref.rates.first_day(currency, ref.base)
        if first is None:
            continue  # never convertible: left out, with a warning elsewhere
        for month in period.months():
            start = max(month, period.start, first)
            end = min(month_end(month), period.end)
            if start <= end:
                found.append(_Slice(currency, month, start, end))
    return found


_SENTINELS = ("XXX", date(1, 1, 1), date(1, 1, 2), date(1, 1, 3))


def _template() -> tuple[str, list[Any], list[int]]:
    """One slice's scoped SQL, compiled once, and where its four parameters sit."""
    query = _Slice(*_SENTINELS).queryset().values_list(*_FIELDS)[: LARGEST + 1].query
    sql, compiled = query.sql_with_params()
    params = list(compiled)
    adapted = [
        _SENTINELS[0],
        *(connection.ops.adapt_datefield_value(day) for day in _SENTINELS[1:]),
    ]
    positions = []
    for value, plain in zip(adapted, _SENTINELS, strict=True):
        matches = [i for i, p in enumerate(params) if p in (value, plain)]
        if len(matches) != 1:
            raise RuntimeError("largest outflows: cannot place the slice parameters")
        positions.append(matches[0])
    return sql, params, positions


def _fetch(slices: list[_Slice]) -> dict[_Slice, list[Outflow]]:
    """The 11 most negative rows of each slice, in as few queries as the database allows."""
    found: dict[_Slice, list[Outflow]] = {s: [] for s in slices}
    if not slices:
        return found
    sql, template_params, positions = _template()
    adapt = connection.ops.adapt_datefield_value
    for first in range(0, len(slices), _UNION_TERMS):
        chunk = slices[first : first + _UNION_TERMS]
        parts: list[str] = []
        params: list[Any] = []
        for index, piece in enumerate(chunk):
            values = list(template_params)
            for position, value in zip(
                positions,
                (piece.currency, adapt(piece.month), adapt(piece.start), adapt(piece.end)),
                strict=True,
            ):
                values[position] = value
            parts.append(f"SELECT * FROM ({sql}) AS s{index}")  # noqa: S608  # nosec B608
            params.extend(values)
        by_key = {(s.currency, s.month): s for s in chunk}
        with connection.cursor() as cursor:
            # Each part is the scoped queryset's own SQL; every value is a bound parameter.
            cursor.execute(" UNION ALL ".join(parts), params)  # nosec B608
            rows = cursor.fetchall()
        for outflow in _outflows(rows):
            found[by_key[(outflow.currency, outflow.date.replace(day=1))]].append(outflow)
    return found


def largest_outflows(ref: ReferenceData) -> list[tuple[Fraction, Outflow]]:
    """The period's non-transfer outflows largest in base currency, most negative first."""
    rates, base = ref.rates, ref.base
    fetched = _fetch(_slices(ref))
    ranked = _ranked(ref, fetched)
    if len(ranked) < LARGEST:
        return ranked
    tenth = ranked[LARGEST - 1][0]
    extended = False
    for piece, seen in fetched.items():
        if len(seen) <= LARGEST or (piece.currency, piece.month) not in ref.split_to_base:
            continue
        factor = rates.max_factor(piece.currency, base, piece.start, piece.end) or ONE
        if Fraction(seen[-1].amount) * factor <= tenth:
            # One range on amount only: the walk stays on the index.
            bound = Decimal(math.floor(tenth * 100 / factor)).scaleb(-2)
            fetched[piece] = [
                Outflow(*r)
                for r in piece.queryset().filter(amount__lte=bound).values_list(*_FIELDS)
            ]
            extended = True
    if extended:
        ranked = _ranked(ref, fetched)
    return ranked[:LARGEST]


def _ranked(
    ref: ReferenceData, fetched: dict[_Slice, list[Outflow]]
) -> list[tuple[Fraction, Outflow]]:
    ranked = []
    for rows in fetched.values():
        for row in rows:
            factor = ref.rates.factor(row.currency, ref.base, row.date)
            if factor is not None:
                ranked.append((Fraction(row.amount) * factor, row))
    ranked.sort(key=lambda item: (item[0], item[1].id))
    return ranked
