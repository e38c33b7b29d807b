"""How the days of a partial month are read: as they are, from the daily rollups, or as the
whole month (one monthly row per account and category) less the month's other days.

A period that ends today, as ``current_month``, ``last_30_days`` and ``last_12_months``
do, has a last partial month whose later days hold no data yet: read whole, it costs
one block and an empty range of days instead of up to a month of daily rows, which at
a million transactions is every account and category every day.

The other days are always read and subtracted, so the answer is exact whatever the
tenant's data bounds say; the bounds (first and last day with a daily row, kept per
process for a minute) only choose the reading with fewer days of data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Max, Min

from findash.common.months import month_end, month_start
from findash.ledger.models import DailyRollup
from findash.tenancy.scoping import current_tenant

Range = tuple[date, date]  # inclusive
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class EdgeReading:
    """``month`` read whole and ``days`` subtracted, or (``whole`` False) ``days`` added."""

    month: date
    whole: bool
    days: list[Range]


def _data_days(ranges: list[Range], bounds: Range) -> int:
    """Days of ``ranges`` inside ``bounds``: the days that may hold data."""
    return sum(
        max((min(last, bounds[1]) - max(first, bounds[0])).days + 1, 0) for first, last in ranges
    )


def edge_readings(edges: list[Range], bounds: Range | None) -> list[EdgeReading]:
    """The cheaper reading of each partial month's ``edge`` given the data ``bounds``."""
    found = []
    for first, last in edges:
        month = month_start(first)
        others = [(month, first - ONE_DAY)] if first > month else []
        if last < month_end(month):
            others.append((last + ONE_DAY, month_end(month)))
        if bounds is not None and _data_days(others, bounds) < _data_days([(first, last)], bounds):
            found.append(EdgeReading(month, True, others))
        else:
            found.append(EdgeReading(month, False, [(first, last)]))
    return found


# Bounds per (database, tenant), with when they were read: any bounds give an exact
# answer, so stale ones only cost rows.
_BOUNDS: dict[tuple[str, int], tuple[float, Range | None]] = {}
BOUNDS_SECONDS = 60.0
_BOUNDS_KEPT = 10_000


def data_bounds_forget() -> None:
    """Forget every kept bound (tests: tenant ids are reused after a rollback)."""
    _BOUNDS.clear()


def data_bounds() -> Range | None:
    """The acting tenant's first and last day with a daily flow row."""
    key, now = (connection.alias, current_tenant().pk), time.monotonic()
    kept = _BOUNDS.get(key)
    if kept is not None and now - kept[0] < BOUNDS_SECONDS:
        return kept[1]
    found = DailyRollup.objects.aggregate(first=Min("day"), last=Max("day"))
    bounds = None if found["first"] is None else (found["first"], found["last"])
    if len(_BOUNDS) >= _BOUNDS_KEPT:
        _BOUNDS.clear()
    _BOUNDS[key] = (now, bounds)
    return bounds
