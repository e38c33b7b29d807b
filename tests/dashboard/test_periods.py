"""Named periods and period decomposition against hand-written cases."""

from __future__ import annotations

from datetime import date

import pytest

from findash.dashboard.periods import Period, period_resolve

D = date

NAMED = [
    # (period, today, start, end)
    ("current_month", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)),
    ("current_month", D(2026, 3, 31), D(2026, 3, 1), D(2026, 3, 31)),
    ("last_month", D(2026, 3, 31), D(2026, 2, 1), D(2026, 2, 28)),
    ("last_month", D(2024, 3, 15), D(2024, 2, 1), D(2024, 2, 29)),  # leap February
    ("last_month", D(2026, 1, 10), D(2025, 12, 1), D(2025, 12, 31)),  # across a year end
    ("last_30_days", D(2026, 3, 1), D(2026, 1, 31), D(2026, 3, 1)),
    ("last_90_days", D(2024, 3, 1), D(2023, 12, 3), D(2024, 3, 1)),
    ("year_to_date", D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1)),
    ("last_year", D(2026, 6, 15), D(2025, 1, 1), D(2025, 12, 31)),
    ("last_12_months", D(2026, 12, 1), D(2025, 12, 2), D(2026, 12, 1)),
    ("last_12_months", D(2024, 2, 29), D(2023, 3, 1), D(2024, 2, 29)),  # from a leap day
    ("last_12_months", D(2025, 2, 28), D(2024, 2, 29), D(2025, 2, 28)),  # into a leap year
    ("last_12_months", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
]


@pytest.mark.parametrize(("name", "today", "start", "end"), NAMED)
def test_named_period(name: str, today: date, start: date, end: date) -> None:
    assert period_resolve(start=None, end=None, period=name, today=today) == Period(start, end)


@pytest.mark.parametrize(
    ("period", "full", "edges"),
    [
        (Period(D(2026, 1, 1), D(2026, 12, 31)), 12, []),
        (Period(D(2026, 3, 1), D(2026, 3, 1)), 0, [(D(2026, 3, 1), D(2026, 3, 1))]),
        (Period(D(2026, 3, 31), D(2026, 3, 31)), 0, [(D(2026, 3, 31), D(2026, 3, 31))]),
        (
            Period(D(2025, 12, 2), D(2026, 12, 1)),
            11,
            [(D(2025, 12, 2), D(2025, 12, 31)), (D(2026, 12, 1), D(2026, 12, 1))],
        ),
        (Period(D(2024, 2, 1), D(2024, 2, 29)), 1, []),
        (Period(D(2024, 2, 1), D(2024, 2, 28)), 0, [(D(2024, 2, 1), D(2024, 2, 28))]),
    ],
)
def test_a_period_splits_into_whole_months_and_partial_edges(
    period: Period, full: int, edges: list[tuple[date, date]]
) -> None:
    assert len(period.full_months()) == full
    assert period.edges() == edges
    days_in_full = sum(
        (D(m.year + m.month // 12, m.month % 12 + 1, 1) - m).days for m in period.full_months()
    )
    assert days_in_full + sum((b - a).days + 1 for a, b in edges) == period.days
