"""The top-payees window: every reading holds each day of the period exactly once and no
other day, whatever the bounds (right, wrong or racing a write); the bounds only pick it."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from findash.dashboard.payee_window import Reading, gap_split, reading_choose
from findash.dashboard.periods import Period
from findash.ledger.payee_spans import months_cover

UNIVERSE = (date(2019, 1, 1), date(2029, 12, 31))


def _days(first: date, last: date) -> list[date]:
    first, last = max(first, UNIVERSE[0]), min(last, UNIVERSE[1])
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _month_days(first: date, last: date) -> list[date]:
    """Every day of the months ``first``..``last`` (first days)."""
    last = min(last, date(9000, 1, 1))
    end = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return _days(first, end)


def _held(reading: Reading) -> Counter[date]:
    held: Counter[date] = Counter()
    if reading.window is None:
        held.update(_days(*UNIVERSE))
    else:
        period = Period(*reading.window)
        spans, singles = months_cover(period.full_months())
        for start, months in spans:
            last = start
            for _ in range(months - 1):
                last = (last + timedelta(days=32)).replace(day=1)
            held.update(_month_days(start, last))
        for month in singles:
            held.update(_month_days(month, month))
        for first, last in period.edges():
            held.update(_days(first, last))
    for sign, gaps in ((1, reading.added), (-1, reading.removed)):
        for gap in gaps:
            days, months = gap_split(gap)
            found = [d for first, last in days for d in _days(first, last)]
            if months is not None:
                found += _month_days(*months)
            for day in found:
                held[day] += sign
    return +held


def _random_day(rng: random.Random) -> date:
    return date(2021, 1, 1) + timedelta(days=rng.randrange(0, 6 * 365))


def test_every_reading_holds_the_period_exactly_once() -> None:
    rng = random.Random(15)
    for _ in range(400):
        start, end = sorted((_random_day(rng), _random_day(rng)))
        first, last = sorted((_random_day(rng), _random_day(rng)))
        period = Period(start, end)
        reading = reading_choose(period, (first, last))
        assert _held(reading) == Counter(_days(start, end)), (period, first, last, reading)


def test_gap_split_of_open_ranges() -> None:
    assert gap_split((date.min, date(2024, 3, 16))) == (
        [(date(2024, 3, 1), date(2024, 3, 16))],
        (date.min, date(2024, 2, 1)),
    )
    assert gap_split((date(2026, 11, 16), date.max)) == (
        [(date(2026, 11, 16), date(2026, 11, 30))],
        (date(2026, 12, 1), date(9999, 12, 1)),
    )
    assert gap_split((date(2026, 11, 2), date(2026, 11, 9))) == (
        [(date(2026, 11, 2), date(2026, 11, 9))],
        None,
    )
    assert gap_split((date(2026, 2, 1), date(2026, 2, 28))) == ([], (date(2026, 2, 1),) * 2)


def test_the_bounds_choose_the_cheaper_reading() -> None:
    bounds = (date(2023, 11, 16), date(2026, 11, 15))
    # Ten years around all of the history: all time, less nothing that holds spending.
    assert reading_choose(Period(date(2016, 11, 16), date(2026, 11, 15)), bounds).window is None
    # The current month up to the last day of spending: the span November-December.
    month = reading_choose(Period(date(2026, 11, 1), date(2026, 11, 15)), bounds)
    assert month.window == (date(2026, 11, 1), date(2026, 12, 31))
    assert month.removed == [(date(2026, 11, 16), date(2026, 12, 31))]
    # Twelve months up to it: the first edge's days, December, the year 2026.
    year = reading_choose(Period(date(2025, 11, 16), date(2026, 11, 15)), bounds)
    assert year.window == (date(2025, 11, 16), date(2026, 12, 31))
    # A period inside the history, or one day: read as it is.
    custom = Period(date(2024, 3, 17), date(2025, 1, 9))
    assert reading_choose(custom, bounds) == Reading((custom.start, custom.end))
    day = Period(date(2026, 11, 1), date(2026, 11, 1))
    assert reading_choose(day, bounds) == Reading((day.start, day.end))
    assert reading_choose(day, None) == Reading((day.start, day.end))
