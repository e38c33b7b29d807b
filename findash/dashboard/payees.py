"""The period's top payees by spending, from the payee rollups only.

Single-currency tenants (every account in the base currency, the common case) are
ranked from the packed payee blocks (``findash.ledger.payee_packed``): the aligned spans
of months (``findash.ledger.payee_spans``) and single months the period's whole months
split into, plus the days of its partial months, each block a few rows of packed arrays.
Python adds the blocks' sums per payee number and reads the names of the ten that rank,
so a period costs about ``payees x (spans + 2 months of days)`` integer additions, not as
many rows grouped in SQL; where the tenant has no spending before or after it, a wider
window of whole years reads less (``findash.dashboard.payee_window``).

Tenants with several currencies convert exactly in Python, as every other figure:
base-currency spending (rate 1) summed over the whole period in SQL, other currencies
per month, or per day where their rate into the base changes inside the month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Case, DateField, F, Max, Min, Sum, Value, When

from findash.common.money import quantum
from findash.dashboard.fx import Converted
from findash.dashboard.kept_hints import KeptHint
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
)
from findash.ledger.payee_packed import (
    ALL_TIME_MONTHS,
    ALL_TIME_START,
    BlockRange,
    packed_ranked,
)
from findash.ledger.payee_spans import months_cover

Factor = Callable[[str, str, date], Fraction | None]


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


# --- one currency: ranked from the packed blocks -----------------------------------


def _cover(window: tuple[date, date] | None) -> list[BlockRange]:
    """The packed blocks holding the window's spending exactly once: the aligned spans and
    single months its whole months split into, each edge's days (or all time)."""
    if window is None:
        return [(ALL_TIME_MONTHS, ALL_TIME_START, ALL_TIME_START)]
    period = Period(*window)
    spans, singles = months_cover(period.full_months())
    found = [(months, start, start) for start, months in spans]
    found += [(1, month, month) for month in singles]
    return found + [(0, first, last) for first, last in period.edges()]


def _gaps(gaps: list[tuple[date, date]]) -> list[BlockRange]:
    """The blocks of ranges read as they are: the days of their partial months, their whole
    months (they normally hold nothing)."""
    found: list[BlockRange] = []
    for gap in gaps:
        gap_days, gap_months = gap_split(gap)
        found += [(0, first, last) for first, last in gap_days]
        found += [(1, *gap_months)] if gap_months is not None else []
    return found


_BOUNDS: KeptHint[tuple[date, date] | None] = KeptHint()


def payee_bounds_forget() -> None:
    """Forget every kept bound (tests: tenant ids are reused after a rollback)."""
    _BOUNDS.forget()


def _bounds(ref: ReferenceData) -> tuple[date, date] | None:
    """The first and last day with a payee row (rows emptied by deletes included)."""

    def read() -> tuple[date, date] | None:
        found = PayeeDailyRollup.objects.filter(currency=ref.base).aggregate(
            first=Min("day"), last=Max("day")
        )
        return None if found["first"] is None else (found["first"], found["last"])

    return _BOUNDS.get((ref.tenant.pk, ref.base), read)


def _ranked(ref: ReferenceData, limit: int) -> list[tuple[str, int, int]]:
    """(payee, signed total in hundredths, count) of the top spenders, most spent first and
    ties by name in code-point order, from the packed blocks of the cheapest reading."""
    period = ref.period
    reading = Reading((period.start, period.end))
    if window_cost((period.start, period.end), (date.min, date.max)) > BLOCK_COST:
        # (else no reading reads less than the period's one block or few days)
        reading = reading_choose(period, _bounds(ref))
    added = _cover(reading.window) + _gaps(reading.added)
    return packed_ranked(ref.tenant.pk, ref.base, added, _gaps(reading.removed), limit)


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
