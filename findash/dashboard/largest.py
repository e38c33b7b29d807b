"""The period's largest outflows in base currency, found by walking an index per month.

Each (currency, month) of the period is read through the index of non-transfer
outflows ``(tenant, currency, month, amount, id)`` (ledger migration 0003): its
11 most negative rows in the period. Where the month's rate into the base is
constant, ranking by amount is ranking by base value, so those rows suffice,
however many rows share an amount. Where the rate changes inside the month, an
unseen row could still beat the 10th best; only then is the month read further,
down to the bound that the month's highest rate allows.

Long periods walk newest first: the newest ``FIRST_MONTHS`` months are read
first, and their 10th best value bounds every older month (a row whose base
value is above it has ten rows ahead of it already), so an older month returns
only the rows that could still rank. On PostgreSQL all months go in one
statement joining the month list ``LATERAL`` to the index walk (planned once, not
once per month); SQLite, which plans cheaply and has no ``LATERAL``, gets a
``UNION ALL`` of the walks.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, cast

from django.db import connection
from django.db.models import Field, QuerySet

from findash.common.fx_rates import ONE
from findash.common.money import AMOUNT_DECIMAL_PLACES
from findash.common.months import month_end
from findash.dashboard.reference import ReferenceData
from findash.ledger.models import TRANSACTION_FIELDS, Transaction

LARGEST = 10
FIRST_MONTHS = 12  # newest months read before the rest, to bound the rest
_UNION_TERMS = 100  # SQLite allows 500 terms in a compound SELECT
_FIELDS = TRANSACTION_FIELDS
# The largest stored amount below zero: ``amount <= _NO_BOUND`` is every outflow, as one
# range on the index (with ``amount < 0`` beside it SQLite ranged on that one and filtered
# a whole month of rows when a bound let few through).
_NO_BOUND = -Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)
_TABLE = Transaction._meta.db_table
_INDEX = "txn_nontransfer_by_month"  # ledger migration 0004: (tenant, currency, month, amount, id)
_AMOUNT = cast("Field[Any, Any]", Transaction._meta.get_field("amount"))


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
    whole: bool  # the whole month (then the month alone selects its days)
    bound: Decimal = _NO_BOUND  # only amounts at or below it can still rank

    def queryset(self, *, dated: bool = True) -> QuerySet[Transaction]:
        found = Transaction.objects.filter(
            currency=self.currency,
            month=self.month,
            transfer_id__isnull=True,
            amount__lte=self.bound,
        )
        if dated:
            found = found.filter(date__range=(self.start, self.end))
        return found.order_by("amount", "id")

    def parameters(self, *, dated: bool = True) -> tuple[Any, ...]:
        """The slice's values as the database takes them, in ``_Template``'s order."""
        adapt = connection.ops.adapt_datefield_value
        bound = _AMOUNT.get_db_prep_value(self.bound, connection)
        if not dated:
            return (self.currency, adapt(self.month), bound)
        return (self.currency, adapt(self.month), bound, adapt(self.start), adapt(self.end))


def _slices(ref: ReferenceData) -> list[_Slice]:
    """Every (currency, month) of the period, newest month first."""
    period, found = ref.period, []
    for month in reversed(period.months()):
        for currency in ref.currencies:
            first = ref.rates.first_day(currency, ref.base)
            if first is None:
                continue  # never convertible: left out, with a warning elsewhere
            last = month_end(month)
            start, end = max(month, period.start, first), min(last, period.end)
            if start <= end:
                whole = start == month and end == last
                found.append(_Slice(currency, month, start, end, whole))
    return found


_SENTINEL = _Slice(
    "XXX", date(1, 1, 1), date(1, 1, 2), date(1, 1, 3), False, Decimal("-987654321.97")
)


def _on_walk_index(sql: str) -> str:
    """A slice's SQL, made to walk ``_INDEX`` on SQLite: ANALYZE counts ``transfer_id IS
    NULL`` like one transfer's id (~1 row), so SQLite's planner would walk the tenant's
    transfer index and sort every row (0.3 s a month at 1M)."""
    if connection.vendor != "sqlite":
        return sql
    return sql.replace(f'FROM "{_TABLE}"', f'FROM "{_TABLE}" INDEXED BY "{_INDEX}"', 1)


def _within_bound(piece: _Slice) -> list[Outflow]:
    """Every row of the slice at or below its bound, most negative first, on the index."""
    sql, params = piece.queryset().values_list(*_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        # The scoped queryset's own SQL; every value is a bound parameter.
        cursor.execute(_on_walk_index(sql), params)  # nosec B608
        return _outflows(cursor.fetchall())


@dataclass(frozen=True)
class _Template:
    """One slice's scoped SQL, compiled once, and where the slice's parameters sit."""

    sql: str
    params: list[Any]
    positions: list[int]
    dated: bool

    @classmethod
    def compile(cls, *, dated: bool) -> _Template:
        walk = _SENTINEL.queryset(dated=dated).values_list(*_FIELDS)[: LARGEST + 1]
        sql, compiled = walk.query.sql_with_params()
        sql = _on_walk_index(sql)
        params = list(compiled)
        raw: tuple[Any, ...] = (_SENTINEL.currency, _SENTINEL.month, _SENTINEL.bound)
        if dated:
            raw += (_SENTINEL.start, _SENTINEL.end)
        positions = []
        for value, plain in zip(_SENTINEL.parameters(dated=dated), raw, strict=True):
            matches = [
                i for i, p in enumerate(params) if p in (value, plain) or str(p) == str(plain)
            ]
            if len(matches) != 1:
                raise RuntimeError("largest outflows: cannot place the slice parameters")
            positions.append(matches[0])
        return cls(sql, params, positions, dated)

    def params_for(self, piece: _Slice) -> list[Any]:
        values = list(self.params)
        for position, value in zip(self.positions, piece.parameters(dated=self.dated), strict=True):
            values[position] = value
        return values


# Compiled walks per (database, vendor, tenant, dated): a walk's SQL and parameters depend
# on nothing else (the tenant's scope is a parameter), so a process compiles each once.
_COMPILED: dict[tuple[str, str, int, bool], _Template] = {}
_COMPILED_KEPT = 10_000


class _Templates:
    """The two walks (with and without the date range) of one tenant, compiled once."""

    def __init__(self, tenant_id: int) -> None:
        self.tenant_id = tenant_id

    def _get(self, *, dated: bool) -> _Template:
        key = (connection.alias, connection.vendor, self.tenant_id, dated)
        found = _COMPILED.get(key)
        if found is None:
            found = _Template.compile(dated=dated)
            if len(_COMPILED) >= _COMPILED_KEPT:
                _COMPILED.clear()
            _COMPILED[key] = found
        return found

    @cached_property
    def dated(self) -> _Template:
        return self._get(dated=True)

    @cached_property
    def undated(self) -> _Template:
        return self._get(dated=False)


def _fetch(slices: list[_Slice], templates: _Templates) -> dict[_Slice, list[Outflow]]:
    """The 11 most negative rows (within its bound) of each slice."""
    found: dict[_Slice, list[Outflow]] = {s: [] for s in slices}
    if not slices:
        return found
    fetch = _fetch_lateral if connection.vendor == "postgresql" else _fetch_union
    rows = fetch(slices, templates)
    by_key = {(s.currency, s.month): s for s in slices}
    for outflow in _outflows(rows):
        found[by_key[(outflow.currency, outflow.date.replace(day=1))]].append(outflow)
    return found


def _union(parts: list[tuple[str, list[Any]]]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        # Each part is a scoped queryset's own SQL; every value is a bound parameter.
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT * FROM ({sql}) AS s{i}"  # noqa: S608  # nosec B608
                for i, (sql, _) in enumerate(parts)
            ),
            [value for _, params in parts for value in params],
        )  # nosec B608
        return cursor.fetchall()


def _fetch_union(slices: list[_Slice], templates: _Templates) -> list[tuple[Any, ...]]:
    template = templates.dated
    rows: list[tuple[Any, ...]] = []
    for first in range(0, len(slices), _UNION_TERMS):
        chunk = slices[first : first + _UNION_TERMS]
        rows.extend(_union([(template.sql, template.params_for(s)) for s in chunk]))
    return rows


_LATERAL_COLUMNS = ("currency", "month", "bound")
_LATERAL_TYPES = ("varchar", "date", "numeric")


def _fetch_lateral(slices: list[_Slice], templates: _Templates) -> list[tuple[Any, ...]]:
    """One statement: the whole months as arrays, each one's walk joined LATERAL to them
    (planned once, not once per month), and the partial months as walks of their own.

    Whole months leave out the date condition: the planner cannot estimate it for values
    it does not know yet, and would prefer reading the month through the date index."""
    whole = [s for s in slices if s.whole]
    parts = []
    if whole:
        template = templates.undated
        pieces = template.sql.split("%s")
        if len(pieces) != len(template.params) + 1:
            raise RuntimeError("largest outflows: unexpected placeholders in the walk's SQL")
        column_at = {
            p: f'"slice"."{c}"' for p, c in zip(template.positions, _LATERAL_COLUMNS, strict=True)
        }
        walk, params = pieces[0], []
        for index, piece in enumerate(pieces[1:]):
            if index in column_at:
                walk += column_at[index]
            else:
                walk += "%s"
                params.append(template.params[index])
            walk += piece
        arrays = ", ".join(f"%s::{kind}[]" for kind in _LATERAL_TYPES)
        columns = ", ".join(_LATERAL_COLUMNS)
        # The walk is the scoped queryset's own SQL; the slices' values are bound parameters.
        lateral = (
            f'SELECT "walk".* FROM unnest({arrays}) AS "slice"({columns}) '  # noqa: S608  # nosec B608
            f'CROSS JOIN LATERAL ({walk}) AS "walk"'  # nosec B608
        )
        # psycopg adapts the lists itself (dates, decimals), as it would the values one by one.
        arrays_values = [
            [s.currency for s in whole],
            [s.month for s in whole],
            [s.bound for s in whole],
        ]
        parts.append((lateral, [*arrays_values, *params]))
    partial = [s for s in slices if not s.whole]
    if partial:
        template = templates.dated
        parts.extend((template.sql, template.params_for(s)) for s in partial)
    return _union(parts)


def _bounded(ref: ReferenceData, slices: list[_Slice], tenth: Fraction) -> list[_Slice]:
    """The slices with the amount bound that a base value of ``tenth`` allows: rows above
    it rank after ``tenth``'s ten rows. One highest rate per currency over the whole
    period keeps the bound safe (a higher rate only loosens it) and cheap."""
    period, rates, base = ref.period, ref.rates, ref.base
    highest = {
        c: rates.max_factor(c, base, period.start, period.end) or ONE
        for c in {s.currency for s in slices}
    }
    # Rounded up to the cent: never below the exact bound, so no row that ranks is lost.
    bound = {
        c: min(Decimal(math.ceil(tenth * 100 / factor)).scaleb(-2), _NO_BOUND)
        for c, factor in highest.items()
    }
    return [replace(piece, bound=bound[piece.currency]) for piece in slices]


def largest_outflows(ref: ReferenceData) -> list[tuple[Fraction, Outflow]]:
    """The period's non-transfer outflows largest in base currency, most negative first."""
    rates, base = ref.rates, ref.base
    slices, templates = _slices(ref), _Templates(ref.tenant.pk)
    newest = set(sorted({s.month for s in slices}, reverse=True)[:FIRST_MONTHS])
    fetched = _fetch([s for s in slices if s.month in newest], templates)
    older = [s for s in slices if s.month not in newest]
    if older:
        ranked = _ranked(ref, fetched)
        if len(ranked) >= LARGEST:
            older = _bounded(ref, older, ranked[LARGEST - 1][0])
        fetched.update(_fetch(older, templates))
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
            fetched[piece] = _within_bound(replace(piece, bound=min(bound, piece.bound)))
            extended = True
    if extended:
        ranked = _ranked(ref, fetched)
    return ranked[:LARGEST]


def _ranked(
    ref: ReferenceData, fetched: dict[_Slice, list[Outflow]]
) -> list[tuple[Fraction, Outflow]]:
    """The ``LARGEST`` best of the rows read, as (base value, row), best first."""
    found = []
    for rows in fetched.values():
        for row in rows:
            factor = ref.rates.factor(row.currency, ref.base, row.date)
            if factor is not None:
                found.append((factor, row))
    if all(factor is ONE for factor, _ in found):
        # All in the base currency: the amounts rank themselves (Decimal compares in C).
        best = heapq.nsmallest(LARGEST, found, key=lambda item: (item[1].amount, item[1].id))
        return [(Fraction(row.amount), row) for _, row in best]
    valued = [(Fraction(row.amount) * factor, row) for factor, row in _contenders(found)]
    return heapq.nsmallest(LARGEST, valued, key=lambda item: (item[0], item[1].id))


def _contenders(found: list[tuple[Fraction, Outflow]]) -> list[tuple[Fraction, Outflow]]:
    """The rows whose exact base value could rank, chosen by a float estimate of it.

    Each estimate is within a relative ``2**-51`` of the exact value (``float`` of a
    Decimal, of a Fraction and their product each round once). All values are negative
    (outflows, positive rates), so with ``tenth`` the 10th lowest estimate, the 10th lowest
    exact value is at most ``tenth / (1 + e)`` and every row that ranks is estimated at most
    ``tenth * (1 - e) / (1 + e)``, above ``tenth`` by less than ``2e * |tenth|``: keeping
    the estimates up to ``tenth`` plus a far wider margin loses none."""
    if len(found) <= LARGEST:
        return found
    floats: dict[int, float] = {}
    estimates = []
    for factor, row in found:
        rate = floats.get(id(factor))
        if rate is None:
            rate = floats[id(factor)] = float(factor)
        estimates.append(float(row.amount) * rate)
    tenth = heapq.nsmallest(LARGEST, estimates)[-1]
    if tenth >= 0:
        return found
    limit = tenth - tenth * 1e-9
    return [item for item, estimate in zip(found, estimates, strict=True) if estimate <= limit]
