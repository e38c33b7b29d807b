"""A windowed rate book answers every question exactly as the book of every rate."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.common.fx_rates import RateBook
from findash.common.fx_window import WindowedRateBook
from findash.common.months import month_end, next_month

Row = tuple[date, str, str, Decimal]
DAY0 = date(2026, 1, 1)
CURRENCIES = ["EUR", "GBP", "USD"]

rows = st.lists(
    st.tuples(
        st.integers(0, 90).map(lambda n: DAY0 + timedelta(days=n)),
        st.sampled_from(CURRENCIES),
        st.sampled_from(CURRENCIES),
        st.decimals("0.5", "2", places=2),
    ).filter(lambda r: r[1] != r[2]),
    max_size=25,
    unique_by=lambda r: (r[0], r[1], r[2]),
)
days = st.integers(-5, 95).map(lambda n: DAY0 + timedelta(days=n))


def _months(first: date, last: date) -> list[date]:
    found = []
    while first <= last:
        found.append(first)
        first = next_month(first)
    return found


def _windowed(everything: list[Row], first: date, last: date) -> WindowedRateBook:
    def before(pair: tuple[str, str]) -> list[Row]:
        found = []
        for base, quote in (pair, pair[::-1]):
            older = [r for r in everything if (r[1], r[2]) == (base, quote) and r[0] < first]
            found += sorted(older)[-1:]
        return found

    return WindowedRateBook(
        [r for r in everything if first <= r[0] <= last],
        window=(first, last),
        before=before,
        everything=lambda: list(everything),
    )


@settings(max_examples=300, deadline=None)
@given(
    rows,
    days,
    st.integers(0, 40),
    st.lists(
        st.tuples(st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES), days, days),
        max_size=8,
    ),
)
def test_windowed_book_answers_like_the_whole_book(
    everything: list[Row], first: date, length: int, questions: list[tuple[str, str, date, date]]
) -> None:
    last = first + timedelta(days=length)
    whole, windowed = RateBook(everything), _windowed(everything, first, last)
    for source, target, one, other in questions:
        start, end = min(one, other), max(one, other)
        assert windowed.factor(source, target, one) == whole.factor(source, target, one)
        assert windowed.max_factor(source, target, start, end) == whole.max_factor(
            source, target, start, end
        )
        assert windowed.changes_between(source, target, start, end) == whole.changes_between(
            source, target, start, end
        )
        first_month, last_month = start.replace(day=1), end.replace(day=1)
        each_month = {
            month
            for month in _months(first_month, last_month)
            if whole.changes_between(source, target, month, month_end(month))
        }
        fresh = _windowed(everything, first, last)  # (loads as it likes)
        assert fresh.months_changing(source, target, first_month, last_month) == each_month
        assert whole.months_changing(source, target, first_month, last_month) == each_month
        found, exact = windowed.first_day(source, target), whole.first_day(source, target)
        if windowed._window is None:  # every rate loaded by now
            assert found == exact
        elif exact is None or exact > last:  # none or after the window: none that applies
            assert found is None
        elif exact >= first:
            assert found == exact
        else:  # before the window: some day no later than its first
            assert found is not None and found <= first


@given(rows, days, st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES))
def test_inside_the_window_only_the_pairs_latest_earlier_rates_are_read(
    everything: list[Row], first: date, source: str, target: str
) -> None:
    last = first + timedelta(days=30)
    windowed = _windowed(everything, first, last)
    windowed.rate_on(source, target, first + timedelta(days=3))
    assert windowed._window is not None
