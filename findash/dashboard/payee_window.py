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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from findash.dashboard.periods import Period
from findash.ledger.payee_spans import months_cover

BLOCK_COST = 4  # a span or month of payees, counted against a day of payees
ONE_DAY = timedelta(days=1)

Range = tuple[date, date]  # inclusive


@dataclass(frozen=True)
class Reading:
    """``window`` covered with spans, months and edge days; ``added`` read and added as they
    are, ``removed`` read and subtracted (both normally without any spending)."""

    window: Range
    added: list[Range] = field(default_factory=list)
    removed: list[Range] = field(default_factory=list)


def _overlap(first: date, last: date, bounds: Range) -> int:
    """Days of ``first..last`` inside ``bounds``."""
    low, high = max(first, bounds[0]), min(last, bounds[1])
    return max((high - low).days + 1, 0)


def _month_last(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) - ONE_DAY


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
    return sum(_overlap(first, last, bounds) for first, last in ranges)


def _minus(outer: Range, inner: Range) -> list[Range]:
    """``outer``'s days outside ``inner``, as at most two ranges."""
    found = []
    if outer[0] < inner[0]:
        found.append((outer[0], min(outer[1], inner[0] - ONE_DAY)))
    if outer[1] > inner[1]:
        found.append((max(outer[0], inner[1] + ONE_DAY), outer[1]))
    return [(first, last) for first, last in found if first <= last]


def reading_choose(period: Period, bounds: Range | None) -> Reading:
    """The cheaper reading of ``period`` given the tenant's first and last day of spending."""
    direct = Reading((period.start, period.end))
    if bounds is None:
        return direct
    first, last = bounds
    start = date(first.year, 1, 1) if period.start <= first else period.start
    end = date(last.year, 12, 31) if period.end >= last else period.end
    if start > end or (start, end) == direct.window:
        return direct
    wide = Reading(
        (start, end),
        added=_minus((period.start, period.end), (start, end)),
        removed=_minus((start, end), (period.start, period.end)),
    )
    wide_cost = window_cost(wide.window, bounds) + _gap_cost(wide.added + wide.removed, bounds)
    return wide if wide_cost < window_cost(direct.window, bounds) else direct
