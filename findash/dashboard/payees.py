"""The period's top payees by spending, from the payee rollups only.

Single-currency tenants (every account in the base currency, the common case) are
ranked in the database: one ``GROUP BY payee … ORDER BY … LIMIT`` over the aligned
spans of months (``findash.ledger.payee_spans``) and single months the period's whole
months split into, plus the days of its partial months. A period reads about
``payees x (spans + 2 months of days)`` rows and returns ten, whatever its length; where
the tenant has no spending before or after it, a wider window of whole years reads less
(``findash.dashboard.payee_window``).

Tenants with several currencies convert exactly in Python, as every other figure:
base-currency spending (rate 1) summed over the whole period in SQL, other currencies
per month, or per day where their rate into the base changes inside the month.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Case, DateField, F, Max, Min, QuerySet, Sum, Value, When

from findash.common.money import quantum
from findash.dashboard.fx import Converted
from findash.dashboard.payee_window import (
    BLOCK_COST,
    Reading,
    gap_split,
    reading_choose,
    window_cost,
)
from findash.dashboard.periods import Period
from findash.dashboard.reference import ReferenceData
from findash.dashboard.schemas import PayeeTotal
from findash.ledger.aggregates import grouped, in_ranges, month_runs
from findash.ledger.models import (
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
)
from findash.ledger.payee_spans import months_cover

Factor = Callable[[str, str, date], Fraction | None]
_COLUMNS = ("payee", "total_cents", "count")


@dataclass(frozen=True, slots=True)
class PayeeFlow:
    payee: str
    currency: str
    day: date  # whose rate converts ``total``
    total: int  # signed hundredths: spending is negative
    count: int


def top_payees(ref: ReferenceData, factor: Factor, limit: int) -> list[PayeeTotal]:
    """The ``limit`` payees the period spent most on (ties by name), each with its count."""
    if set(ref.currencies) <= {ref.base} and quantum(ref.base) == Decimal("0.01"):
        return [
            PayeeTotal(payee=payee, total=Decimal(-total).scaleb(-2), count=count)
            for payee, total, count in _ranked(ref, limit)
        ]
    spent: dict[str, Converted] = defaultdict(Converted)
    count: dict[str, int] = defaultdict(int)
    for flow in payee_flows(ref):
        count[flow.payee] += flow.count
        rate = factor(flow.currency, ref.base, flow.day)
        if rate is not None:
            spent[flow.payee].add(-flow.total, rate)
    return spenders_ranked(spent, count, ref.base, limit)


def spenders_ranked(
    spent: dict[str, Converted], count: dict[str, int], currency: str, limit: int
) -> list[PayeeTotal]:
    """The ``limit`` payees with the most spent (each rounded once), ties by name."""
    rows = [
        PayeeTotal(payee=payee, total=spent[payee].rounded(currency), count=count[payee])
        for payee in count
    ]
    rows = [row for row in rows if row.total > 0]
    rows.sort(key=lambda r: (-r.total, r.payee))
    return rows[:limit]


# --- one currency: ranked in SQL -------------------------------------------------


def _cover(base: str, window: tuple[date, date] | None) -> list[QuerySet[Any]]:
    """The row sets whose union holds the window's spending exactly once: one per span
    length, the single months, each edge's days (or all time's totals); each read from its
    covering index alone (an ``OR`` of ranges would make PostgreSQL visit a heap page per
    row)."""
    if window is None:
        return [PayeeTotalRollup.objects.filter(currency=base)]
    period = Period(*window)
    spans, singles = months_cover(period.full_months())
    starts: dict[int, list[date]] = defaultdict(list)
    for start, months in spans:
        starts[months].append(start)
    parts = [
        PayeeSpanRollup.objects.filter(months=months, start__in=firsts, currency=base)
        for months, firsts in sorted(starts.items())
    ]
    if singles:
        parts.append(PayeeMonthlyRollup.objects.filter(month__in=singles, currency=base))
    return parts + _days(base, period.edges())


def _days(base: str, ranges: list[tuple[date, date]]) -> list[QuerySet[Any]]:
    return [PayeeDailyRollup.objects.filter(day__range=r, currency=base) for r in ranges]


def _gaps(base: str, gaps: list[tuple[date, date]]) -> list[QuerySet[Any]]:
    """Ranges read as they are: the days of their partial months, their whole months as
    ranges. One row set per table: they normally hold nothing, so an ``OR`` of ranges costs
    an index probe each, not a heap page per row."""
    days: list[tuple[date, date]] = []
    months: list[tuple[date, date]] = []
    for gap in gaps:
        gap_days, gap_months = gap_split(gap)
        days += gap_days
        months += [gap_months] if gap_months is not None else []
    parts = []
    if days:
        parts.append(PayeeDailyRollup.objects.filter(in_ranges("day", days), currency=base))
    if months:
        parts.append(PayeeMonthlyRollup.objects.filter(in_ranges("month", months), currency=base))
    return parts


# Bounds per (database, tenant, currency), with when they were read. Any bounds give an
# exact answer (``payee_window``), so a process may keep them a while: stale ones only
# choose a reading that is not the cheapest.
_BOUNDS: dict[tuple[str, int, str], tuple[float, tuple[date, date] | None]] = {}
BOUNDS_SECONDS = 60.0
_BOUNDS_KEPT = 10_000


def payee_bounds_forget() -> None:
    """Forget every kept bound (tests: tenant ids are reused after a rollback)."""
    _BOUNDS.clear()


def _bounds(ref: ReferenceData) -> tuple[date, date] | None:
    """The first and last day with a payee row (rows emptied by deletes included)."""
    key, now = (connection.alias, ref.tenant.pk, ref.base), time.monotonic()
    kept = _BOUNDS.get(key)
    if kept is not None and now - kept[0] < BOUNDS_SECONDS:
        return kept[1]
    found = PayeeDailyRollup.objects.filter(currency=ref.base).aggregate(
        first=Min("day"), last=Max("day")
    )
    bounds = None if found["first"] is None else (found["first"], found["last"])
    if len(_BOUNDS) >= _BOUNDS_KEPT:
        _BOUNDS.clear()
    _BOUNDS[key] = (now, bounds)
    return bounds


def _single(reading: Reading) -> bool:
    """Whether the reading is one span, month or day alone (or all time): one row per payee,
    nothing to add up."""
    if reading.added or reading.removed:
        return False
    if reading.window is None:
        return True
    period = Period(*reading.window)
    spans, singles = months_cover(period.full_months())
    edges = period.edges()
    if edges:
        return not spans and not singles and len(edges) == 1 and edges[0][0] == edges[0][1]
    return len(spans) + len(singles) == 1


def _parts(ref: ReferenceData) -> tuple[list[tuple[int, QuerySet[Any]]], bool]:
    """(sign, row set) pairs whose signed sum is the period's spending exactly once, and
    whether that is one row set holding one row per payee."""
    period, base = ref.period, ref.base
    reading = Reading((period.start, period.end))
    if window_cost((period.start, period.end), (date.min, date.max)) > BLOCK_COST:
        # (else no reading reads less than the period's one block or few days)
        reading = reading_choose(period, _bounds(ref))
    parts = [(1, part) for part in _cover(base, reading.window)]
    parts += [(1, part) for part in _gaps(base, reading.added)]
    parts += [(-1, part) for part in _gaps(base, reading.removed)]
    found = [(sign, part.order_by().values_list(*_COLUMNS)) for sign, part in parts]
    return found, _single(reading)


def _ranked(ref: ReferenceData, limit: int) -> list[tuple[str, int, int]]:
    """(payee, signed total in hundredths, count) of the top spenders, most spent first and
    ties by name in code-point order (as Python sorts), on both databases."""
    selects: list[str] = []
    params: list[Any] = []
    parts, single = _parts(ref)
    for index, (sign, part) in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        columns = "*" if sign > 0 else '"payee", -"total_cents", -"count"'
        selects.append(f"SELECT {columns} FROM ({sql}) AS p{index}")  # noqa: S608  # nosec B608
        params.extend(part_params)
    if not selects:
        return []
    by_code_point = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    if single:  # one row per payee: ranked as they are, no grouping (half the work)
        query = (
            'SELECT "payee", "total_cents", "count" '  # noqa: S608  # nosec B608
            f'FROM ({selects[0]}) AS spent WHERE "total_cents" < 0 '
            f'ORDER BY "total_cents", "payee"{by_code_point} LIMIT %s'
        )
    else:
        query = (
            'SELECT "payee", SUM("total_cents"), SUM("count") '  # noqa: S608  # nosec B608
            f"FROM ({' UNION ALL '.join(selects)}) AS spent "
            'GROUP BY "payee" HAVING SUM("total_cents") < 0 '
            f'ORDER BY SUM("total_cents"), "payee"{by_code_point} LIMIT %s'
        )
    with connection.cursor() as cursor:
        # Each part is a scoped queryset's own SQL; every value is a bound parameter.
        cursor.execute(query, [*params, limit])  # nosec B608
        return [(payee, int(total), int(count)) for payee, total, count in cursor.fetchall()]


# --- several currencies: converted exactly ---------------------------------------


def _bucket(base: str, period_field: str) -> Case:
    """Group key for the rate: none for the base currency (rate 1); for other currencies the
    month in the monthly table, the day in the daily one."""
    whens = [When(currency=base, then=Value(None, output_field=DateField()))]
    return Case(*whens, default=F(period_field), output_field=DateField())


def payee_flows(ref: ReferenceData) -> list[PayeeFlow]:
    period = ref.period
    split = {pair for pair in ref.split_to_base if pair[1] in set(period.months())}
    sums = {"total": Sum("total_cents"), "count": Sum("count")}
    found: list[PayeeFlow] = []
    full = [m for m in period.full_months() if all((c, m) not in split for c in ref.currencies)]
    queries = []
    if full:
        queries.append(
            grouped(
                PayeeMonthlyRollup.objects.filter(month__in=full),
                {
                    "payee": "payee",
                    "currency": "currency",
                    "bucket": _bucket(ref.base, "month"),
                },
                sums,
            )
        )
    # Partial months, and whole months with a split currency, from the daily rollups.
    day_ranges = period.edges() + month_runs([m for m in period.full_months() if m not in full])
    if day_ranges:
        queries.append(
            grouped(
                PayeeDailyRollup.objects.filter(in_ranges("day", day_ranges)),
                {
                    "payee": "payee",
                    "currency": "currency",
                    "bucket": _bucket(ref.base, "day"),
                },
                sums,
            )
        )
    for rows in queries:
        found += [
            PayeeFlow(payee, currency, bucket or period.start, total, count)
            for payee, currency, bucket, total, count in rows
            if total or count  # rows emptied by deletes stay behind as zeros
        ]
    return found
