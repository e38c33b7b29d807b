"""The dashboard's reporting period: explicit ``start``/``end`` or a named ``period``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from findash.common.errors import InvalidInput
from findash.common.limits import EARLIEST_DATE, LATEST_DATE
from findash.common.months import add_years, month_end, month_start, next_month

MAX_YEARS = 10
DEFAULT_PERIOD = "current_month"


def _query_error(field: list[str], msg: str, type_: str = "value_error") -> InvalidInput:
    return InvalidInput(field, msg, type_, source="query")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def _months(self) -> tuple[date, ...]:
        found = []
        month = month_start(self.start)
        while month <= self.end:
            found.append(month)
            month = next_month(month)
        return tuple(found)

    def months(self) -> list[date]:
        """First days of every calendar month overlapping the period."""
        return list(self._months)

    @cached_property
    def _last_full_month(self) -> date:
        """The first day of the last month that ends inside the period."""
        last = month_start(self.end)
        return last if month_end(self.end) == self.end else month_start(last - timedelta(days=1))

    def covers_month(self, month: date) -> bool:
        """Whether ``month`` (any day of it) starts no earlier than the period and its
        month ends inside it."""
        return self.start <= month and month_start(month) <= self._last_full_month

    @cached_property
    def _full_months(self) -> tuple[date, ...]:
        return tuple(m for m in self._months if self.covers_month(m))

    def full_months(self) -> list[date]:
        """First days of the calendar months wholly inside the period."""
        return list(self._full_months)  # asked for by most parts: a 10-year period has 121

    @cached_property
    def _edges(self) -> tuple[tuple[date, date], ...]:
        return tuple(
            (max(self.start, m), min(self.end, month_end(m)))
            for m in self._months
            if not self.covers_month(m)
        )

    def edges(self) -> list[tuple[date, date]]:
        """The period's days in months it covers only in part, as inclusive ranges."""
        return list(self._edges)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _named(name: str, today: date) -> Period:
    this_month = month_start(today)
    if name == "current_month":
        return Period(this_month, today)
    if name == "last_month":
        last = this_month - timedelta(days=1)
        return Period(month_start(last), last)
    if name == "last_30_days":
        return Period(today - timedelta(days=29), today)
    if name == "last_90_days":
        return Period(today - timedelta(days=89), today)
    if name == "year_to_date":
        return Period(date(today.year, 1, 1), today)
    if name == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if name == "last_12_months":
        return Period(add_years(today, -1) + timedelta(days=1), today)
    raise _query_error(
        ["period"], f"unknown period {name!r}; one of {', '.join(PERIOD_NAMES)}", "enum"
    )


PERIOD_NAMES = (
    "current_month",
    "last_month",
    "last_30_days",
    "last_90_days",
    "year_to_date",
    "last_year",
    "last_12_months",
)


def _parse(raw: str, name: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise _query_error([name], f"{raw!r} is not a date (YYYY-MM-DD)", "date") from exc
    # The documented range keeps month and year arithmetic far from year 9999.
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise _query_error(
            [name], f"{name} must be between {EARLIEST_DATE} and {LATEST_DATE}", "date"
        )
    return day


def period_resolve(
    *, start: str | None, end: str | None, period: str | None, today: date
) -> Period:
    """The period a query names; 422 on the offending parameter when it is not valid."""
    if start is None and end is None:
        return _named(period or DEFAULT_PERIOD, today)
    if period is not None:
        raise _query_error(["period"], "give either period or start and end, not both")
    if start is None:
        raise _query_error(["start"], "start is required with end", "missing")
    if end is None:
        raise _query_error(["end"], "end is required with start", "missing")
    first, last = _parse(start, "start"), _parse(end, "end")
    if first > last:
        raise _query_error(["start"], "start must not be after end")
    if last >= add_years(first, MAX_YEARS):
        raise _query_error(["end"], f"the period may cover at most {MAX_YEARS} years")
    return Period(first, last)
