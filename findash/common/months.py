"""Calendar-month arithmetic shared by the ledger's rollups and the dashboard's periods."""

from __future__ import annotations

from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month (no calendar module: the dashboard calls it per month)."""
    if day.month == 12:
        return day.replace(day=31)
    return next_month(day) - _ONE_DAY


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
