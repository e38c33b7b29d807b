"""Aligned blocks of whole months ("spans") that payee spending is also summed over.

A span is 2, 4 or 8 months aligned inside a calendar year (January-February, …;
January-April, May-August, September-December; January-August) or the whole year.
Any run of whole months splits into at most a handful of spans and single months
(:func:`months_cover`), so a period reads about ``payees x (spans + 2 edge months of
days)`` rows, not ``payees x months``: with 10,000 payees active every month, a year
is one span instead of twelve months.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

SPAN_MONTHS = (12, 8, 4, 2)  # largest first: the greedy cover takes the largest that fits
MONTHS_PER_YEAR = 12


def _aligned(index: int, size: int) -> bool:
    """Whether a span of ``size`` months may start at month ``index`` (0 = January)."""
    return index % size == 0 and index + size <= MONTHS_PER_YEAR


def spans_containing(month: date) -> list[tuple[date, int]]:
    """(first day, length in months) of every span holding ``month`` (a first day)."""
    index = month.month - 1
    found = []
    for size in SPAN_MONTHS:
        first = index - index % size
        if _aligned(first, size):
            found.append((date(month.year, first + 1, 1), size))
    return found


def _plus(month: date, count: int) -> date:
    index = month.year * MONTHS_PER_YEAR + month.month - 1 + count
    return date(index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1, 1)


def months_cover(months: Iterable[date]) -> tuple[list[tuple[date, int]], list[date]]:
    """Whole months (first days) as the fewest aligned spans plus the single months left.

    Left to right, each position takes the largest span that starts there, is aligned
    and holds only months asked for: the canonical segment-tree cover.
    """
    wanted = sorted(set(months))
    spans: list[tuple[date, int]] = []
    singles: list[date] = []
    position = 0
    while position < len(wanted):
        month = wanted[position]
        for size in SPAN_MONTHS:
            last = position + size - 1
            if (
                _aligned(month.month - 1, size)
                and last < len(wanted)
                and wanted[last] == _plus(month, size - 1)
            ):
                spans.append((month, size))
                position += size
                break
        else:
            singles.append(month)
            position += 1
    return spans, singles
