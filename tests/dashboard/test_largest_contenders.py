"""The float pre-selection of largest outflows keeps every row that ranks exactly."""

from __future__ import annotations

import heapq
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.common.fx_rates import RateBook
from findash.dashboard.largest import LARGEST, _contenders
from findash.dashboard.largest_walk import Candidate

DAY = date(2026, 1, 1)

# Stored rates (10 places at most), used directly (EUR->USD) or inverted (USD->EUR).
rates = st.tuples(
    st.sampled_from(
        [
            Decimal(1),
            Decimal(3),
            Decimal("0.3333333333"),
            Decimal("1.0000001"),
            Decimal("0.9999999"),
        ]
    )
    | st.decimals("0.0000000001", "100000", places=10),
    st.booleans(),
)
amounts = st.one_of(
    st.sampled_from([Decimal("-10.00"), Decimal("-30.00"), Decimal("-3.00")]),
    st.decimals("-1000000", "-0.01", places=2),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(amounts, rates), max_size=40))
def test_contenders_hold_the_exact_top_ten(
    rows: list[tuple[Decimal, tuple[Decimal, bool]]],
) -> None:
    estimated, exact = [], {}
    for pk, (amount, (rate, direct)) in enumerate(rows):
        book = RateBook([(DAY, "EUR", "USD", rate)])
        source, target = ("EUR", "USD") if direct else ("USD", "EUR")
        row = Candidate(pk, source, DAY, amount)
        float_rate = book.float_factor(source, target, DAY)
        factor = book.factor(source, target, DAY)
        assert float_rate is not None and factor is not None
        estimated.append((float(amount) * float_rate, row))
        exact[pk] = Fraction(amount) * factor

    def best(items: list[Candidate]) -> list[int]:
        return [pk for _, pk in heapq.nsmallest(LARGEST, [(exact[r.id], r.id) for r in items])]

    assert best(_contenders(estimated)) == best([row for _, row in estimated])


def test_float_factor_is_the_nearest_float_of_the_rate_or_its_inverse() -> None:
    book = RateBook([(DAY, "EUR", "USD", Decimal("1.0834567891"))])
    assert book.float_factor("EUR", "USD", DAY) == 1.0834567891
    assert book.float_factor("USD", "EUR", DAY) == 1 / 1.0834567891
    assert book.float_factor("USD", "USD", DAY) == 1.0
    assert book.float_factor("EUR", "USD", date(2025, 12, 31)) is None
    assert book.float_factor("GBP", "USD", DAY) is None
