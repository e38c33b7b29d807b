"""Which dates the top-payees query reads: the period itself, or a window aligned to whole
years where the tenant has no spending, with the difference read exactly.

The payee rollups are cheapest by the block: an aligned span of months
(``findash.ledger.payee_spans``) is one row per payee, a partial month one row per payee
and *day*. A period that runs up to the tenant's last day of spending (``current_month``,
``last_30_days``, ``last_12_months``: today is usually the last day with data) or starts
before its first day (``10 years``) can be read as a wider window whose extra days hold no
spending: ``current_month`` on the 15th becomes the span November-December, ten years the
tenant's few whole years, instead of every payee's days of the current month and every
span of the decade.

The answer never depends on the bounds being right: the window's extra dates are
subtracted and the period's dates outside it added, read as they are (days of partial
months, one range of whole months), so a write racing the bounds costs rows, not
exactness. The bounds (first and last day of spending) only choose the cheaper reading.
A period holding nearly all of the history is read as all time (one row per payee, the
payee totals) less what lies outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from findash.common.months import month_end, month_start, next_month
from findash.dashboard.periods import Period
from findash.ledger.payee_spans import months_cover

BLOCK_COST = 4  # a span or month of payees, counted against a day of payees
ONE_DAY = timedelta(days=1)

Range = tuple[date, date]  # inclusive


@dataclass(frozen=True)
class Reading:
    """``window`` covered with spans, months and edge days (``None``: all time, from the
    payee totals); ``added`` read and added as they are, ``removed`` read and subtracted
    (normally with little or no spending)."""

    window: Range | None
    added: list[Range] = field(default_factory=list)
    removed: list[Range] = field(default_factory=list)


def _overlap(first: date, last: date, bounds: Range) -> int:
    """Days of ``first..last`` inside ``bounds``."""
    low, high = max(first, bounds[0]), min(last, bounds[1])
    return max((high - low).days + 1, 0)


def _month_last(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) - ONE_DAY


def gap_split(gap: Range) -> tuple[list[Range], Range | None]:
    """A range as the days of its partial months and its whole months (first days, inclusive),
    without walking its months: it may run from ``date.min`` or to ``date.max``."""
    first, last = gap
    if month_start(first) == month_start(last):
        if first.day == 1 and last == month_end(last):
            return [], (first, first)
        return [gap], None
    days = []
    if first.day != 1:
        days.append((first, month_end(first)))
        first = next_month(first)
    if last != month_end(last):
        days.append((month_start(last), last))
        last = month_start(last) - ONE_DAY
    return days, (first, month_start(last)) if first <= last else None


def window_cost(window: Range, bounds: Range) -> int:
    """What covering ``window`` costs: each span or month holding spending a block, each day
    of a partial month holding spending a day."""
    period = Period(*window)
    spans, singles = months_cover(period.full_months())
    blocks = [(start, _month_last(start, months)) for start, months in spans]
    blocks += [(month, _month_last(month, 1)) for month in singles]
    cost = sum(BLOCK_COST for first, last in blocks if _overlap(first, last, bounds))
    return cost + sum(_overlap(first, last, bounds) for first, last in period.edges())


def _gap_cost(ranges: list[Range], bounds: Range) -> int:
    cost = 0
    for gap in ranges:
        days, months = gap_split(gap)
        cost += sum(_overlap(first, last, bounds) for first, last in days)
        if months is not None:
            low, high = max(months[0], month_start(bounds[0])), min(months[1], bounds[1])
            if low <= high:
                cost += BLOCK_COST * ((high.year - low.year) * 12 + high.month - low.month + 1)
    return cost


def _minus(outer: Range, inner: Range) -> list[Range]:
    """``outer``'s days outside ``inner``, as at most two ranges."""
    found = []
    if outer[0] < inner[0]:
        found.append((outer[0], min(outer[1], inner[0] - ONE_DAY)))
    if outer[1] > inner[1]:
        found.append((max(outer[0], inner[1] + ONE_DAY), outer[1]))
    return [(first, last) for first, last in found if first <= last]


def _cost(reading: Reading, bounds: Range) -> int:
    gaps = _gap_cost(reading.added + reading.removed, bounds)
    if reading.window is None:
        return BLOCK_COST + gaps
    return window_cost(reading.window, bounds) + gaps


def reading_choose(period: Period, bounds: Range | None) -> Reading:
    """The cheapest reading of ``period`` given the tenant's first and last day of spending."""
    span = (period.start, period.end)
    readings = [Reading(span)]
    if bounds is None:
        return readings[0]
    first, last = bounds
    start = date(first.year, 1, 1) if period.start <= first else period.start
    end = date(last.year, 12, 31) if period.end >= last else period.end
    if start <= end and (start, end) != span:
        readings.append(
            Reading(
                (start, end), added=_minus(span, (start, end)), removed=_minus((start, end), span)
            )
        )
    readings.append(Reading(None, removed=_minus((date.min, date.max), span)))
    return min(readings, key=lambda reading: _cost(reading, bounds))  # the first of equals
