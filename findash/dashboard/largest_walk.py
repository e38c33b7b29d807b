"""The index walks behind the largest outflows (``findash.dashboard.largest``).

Each (currency, month) slice is read through the index of non-transfer outflows
``(tenant, currency, month, amount, id)`` (ledger migration 0004), most negative first.
A walk selects only what ranking needs (id, currency, date, amount); the few rows that
rank are then read whole by id (``outflows_by_id``), so the hundreds of rows a long
period walks are not converted column by column.

On PostgreSQL all whole months go in one statement joining the month list ``LATERAL`` to
the index walk (planned once, not once per month); SQLite, which plans cheaply and has no
``LATERAL``, gets a ``UNION ALL`` of the walks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple, cast

from django.db import connection
from django.db.models import Field, QuerySet

from findash.common.money import AMOUNT_DECIMAL_PLACES
from findash.ledger.models import TRANSACTION_FIELDS, Transaction

LARGEST = 10
_UNION_TERMS = 100  # SQLite allows 500 terms in a compound SELECT
_WALK_FIELDS = ("id", "currency", "date", "amount")
# The largest stored amount below zero: ``amount <= NO_BOUND`` is every outflow, as one
# range on the index (with ``amount < 0`` beside it SQLite ranged on that one and filtered
# a whole month of rows when a bound let few through).
NO_BOUND = -Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)
_TABLE = Transaction._meta.db_table
_INDEX = "txn_nontransfer_by_month"  # ledger migration 0004: (tenant, currency, month, amount, id)
_AMOUNT = cast("Field[Any, Any]", Transaction._meta.get_field("amount"))


class Candidate(NamedTuple):
    """A walked row: what ranking needs."""

    id: int
    currency: str
    date: date
    amount: Decimal


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


_CONVERTERS: dict[tuple[str, str, tuple[str, ...]], list[list[Any]]] = {}


def _converters(fields: tuple[str, ...]) -> list[list[Any]]:
    """Per selected column, the converters the ORM applies to raw database values (the
    same for every query of a connection: kept per database)."""
    key = (connection.alias, connection.vendor, fields)
    if key in _CONVERTERS:
        return _CONVERTERS[key]
    found = _CONVERTERS[key] = []
    for name in fields:
        column = cast("Field[Any, Any]", Transaction._meta.get_field(name)).get_col(_TABLE)
        found.append(
            [(c, column) for c in connection.ops.get_db_converters(column)]
            + [(c, column) for c in column.get_db_converters(connection)]
        )
    return found


def _converted(rows: list[tuple[Any, ...]], fields: tuple[str, ...]) -> list[list[Any]]:
    converters = [(i, c) for i, c in enumerate(_converters(fields)) if c]
    found = []
    for row in rows:
        values = list(row)
        for index, column_converters in converters:
            for converter, column in column_converters:
                values[index] = converter(values[index], column, connection)
        found.append(values)
    return found


def _candidates(rows: list[tuple[Any, ...]]) -> list[Candidate]:
    return [Candidate(*values) for values in _converted(rows, _WALK_FIELDS)]


def outflows_by_id(ids: list[int]) -> dict[int, Outflow]:
    """The whole rows of ``ids`` (of the acting tenant)."""
    rows = Transaction.objects.filter(id__in=ids).values_list(*TRANSACTION_FIELDS)
    return {row[0]: Outflow(*row) for row in rows}


@dataclass(frozen=True)
class Slice:
    currency: str
    month: date
    start: date
    end: date
    whole: bool  # the whole month (then the month alone selects its days)
    bound: Decimal = NO_BOUND  # only amounts at or below it can still rank

    def under(self, bound: Decimal) -> Slice:
        """The slice with another bound (``dataclasses.replace``, cheaper: hundreds a request)."""
        return Slice(self.currency, self.month, self.start, self.end, self.whole, bound)

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


_SENTINEL = Slice(
    "XXX", date(1, 1, 1), date(1, 1, 2), date(1, 1, 3), False, Decimal("-987654321.97")
)


def _on_walk_index(sql: str) -> str:
    """A slice's SQL, made to walk ``_INDEX`` on SQLite: ANALYZE counts ``transfer_id IS
    NULL`` like one transfer's id (~1 row), so SQLite's planner would walk the tenant's
    transfer index and sort every row (0.3 s a month at 1M)."""
    if connection.vendor != "sqlite":
        return sql
    return sql.replace(f'FROM "{_TABLE}"', f'FROM "{_TABLE}" INDEXED BY "{_INDEX}"', 1)


def walk_within_bounds(slices: list[Slice], walks: Walks) -> dict[Slice, list[Candidate]]:
    """Every row of each slice at or below its bound, most negative first, on the index:
    one statement for all of them (each a walk of its own)."""
    found: dict[Slice, list[Candidate]] = {s: [] for s in slices}
    if not slices:
        return found
    template, rows = walks.unlimited, []
    for first in range(0, len(slices), _UNION_TERMS):
        chunk = slices[first : first + _UNION_TERMS]
        rows.extend(_union([(template.sql, template.params_for(s)) for s in chunk]))
    by_key = {(s.currency, s.month): s for s in slices}
    for row in sorted(_candidates(rows), key=lambda row: (row.amount, row.id)):
        found[by_key[(row.currency, row.date.replace(day=1))]].append(row)
    return found


@dataclass(frozen=True)
class _Template:
    """One slice's scoped SQL, compiled once, and where the slice's parameters sit."""

    sql: str
    params: list[Any]
    positions: list[int]
    dated: bool

    @classmethod
    def compile(cls, *, dated: bool, limited: bool = True) -> _Template:
        walk = _SENTINEL.queryset(dated=dated).values_list(*_WALK_FIELDS)
        if limited:
            walk = walk[: LARGEST + 1]
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

    def params_for(self, piece: Slice) -> list[Any]:
        values = list(self.params)
        for position, value in zip(self.positions, piece.parameters(dated=self.dated), strict=True):
            values[position] = value
        return values


# Compiled walks per (database, vendor, tenant, dated, limited): a walk's SQL and parameters
# depend on nothing else (the tenant's scope is a parameter), so a process compiles each once.
_COMPILED: dict[tuple[str, str, int, bool, bool], _Template] = {}
_COMPILED_KEPT = 10_000


class Walks:
    """The walks (of 11 rows with and without the date range, and of every row under the
    bound) of one tenant, compiled once."""

    def __init__(self, tenant_id: int) -> None:
        self.tenant_id = tenant_id

    def _get(self, *, dated: bool, limited: bool = True) -> _Template:
        key = (connection.alias, connection.vendor, self.tenant_id, dated, limited)
        found = _COMPILED.get(key)
        if found is None:
            found = _Template.compile(dated=dated, limited=limited)
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

    @cached_property
    def unlimited(self) -> _Template:
        return self._get(dated=True, limited=False)


def walk_slices(slices: list[Slice], walks: Walks) -> dict[Slice, list[Candidate]]:
    """The 11 most negative rows (within its bound) of each slice."""
    found: dict[Slice, list[Candidate]] = {s: [] for s in slices}
    if not slices:
        return found
    fetch = _fetch_lateral if connection.vendor == "postgresql" else _fetch_union
    rows = fetch(slices, walks)
    by_key = {(s.currency, s.month): s for s in slices}
    for row in _candidates(rows):
        found[by_key[(row.currency, row.date.replace(day=1))]].append(row)
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


def _fetch_union(slices: list[Slice], walks: Walks) -> list[tuple[Any, ...]]:
    template = walks.dated
    rows: list[tuple[Any, ...]] = []
    for first in range(0, len(slices), _UNION_TERMS):
        chunk = slices[first : first + _UNION_TERMS]
        rows.extend(_union([(template.sql, template.params_for(s)) for s in chunk]))
    return rows


_LATERAL_COLUMNS = ("currency", "month", "bound")
_LATERAL_TYPES = ("varchar", "date", "numeric")


def _fetch_lateral(slices: list[Slice], walks: Walks) -> list[tuple[Any, ...]]:
    """One statement: the whole months as arrays, each one's walk joined LATERAL to them
    (planned once, not once per month), and the partial months as walks of their own.

    Whole months leave out the date condition: the planner cannot estimate it for values
    it does not know yet, and would prefer reading the month through the date index."""
    whole = [s for s in slices if s.whole]
    parts = []
    if whole:
        template = walks.undated
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
        template = walks.dated
        parts.extend((template.sql, template.params_for(s)) for s in partial)
    return _union(parts)
