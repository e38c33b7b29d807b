"""The float pre-selection of largest outflows keeps every row that ranks exactly."""

from __future__ import annotations

import heapq
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.dashboard.largest import LARGEST, Outflow, _contenders


def _row(pk: int, amount: Decimal) -> Outflow:
    return Outflow(
        pk, 1, date(2026, 1, 1), amount, "EUR", None, "", "", None, "", datetime(2026, 1, 1)
    )


rates = st.sampled_from(
    [Fraction(1), Fraction(1, 3), Fraction(10, 3), Fraction("1.0000001"), Fraction("0.9999999")]
)
amounts = st.one_of(
    st.sampled_from([Decimal("-10.00"), Decimal("-30.00"), Decimal("-3.00")]),
    st.decimals("-1000000", "-0.01", places=2),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(amounts, rates), max_size=40))
def test_contenders_hold_the_exact_top_ten(rows: list[tuple[Decimal, Fraction]]) -> None:
    found = [(rate, _row(pk, amount)) for pk, (amount, rate) in enumerate(rows)]

    def best(items: list[tuple[Fraction, Outflow]]) -> list[int]:
        valued = [(Fraction(row.amount) * rate, row.id) for rate, row in items]
        return [pk for _, pk in heapq.nsmallest(LARGEST, valued)]

    assert best(_contenders(found)) == best(found)
