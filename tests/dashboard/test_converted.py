"""Converted totals round exactly like the exact fraction, ties included."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.common.fx_rates import fraction_round
from findash.dashboard.fx import Converted

rates = st.builds(
    lambda n, inverse: 1 / Fraction(n, 10**6) if inverse else Fraction(n, 10**6),
    st.integers(min_value=1, max_value=5 * 10**6),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    terms=st.lists(
        st.tuples(st.integers(min_value=-(10**12), max_value=10**12), rates), max_size=40
    ),
    cents=st.integers(min_value=-(10**9), max_value=10**9),
    places=st.sampled_from([0, 2, 3]),
)
def test_rounding_equals_the_exact_sum_rounded_once(
    terms: list[tuple[int, Fraction]], cents: int, places: int
) -> None:
    total = Converted()
    total.add(cents, Fraction(1))
    for amount, rate in terms:
        total.add(amount, rate)
    exact = Fraction(cents, 100) + sum((Fraction(a, 100) * r for a, r in terms), Fraction(0))
    currency = {0: "JPY", 2: "USD", 3: "BHD"}[places]
    assert total.rounded(currency) == fraction_round(exact, min(places, 2))


def test_a_sum_landing_exactly_on_a_tie_rounds_half_even() -> None:
    third = 1 / Fraction(3)
    total = Converted()
    total.add(1, third)  # 0.01/3 + 0.02/3 + 0.015 ... = exactly 0.025
    total.add(2, third)
    total.add(2, Fraction(3, 4))
    assert total.exact() == Fraction(25, 1000)
    assert total.rounded("USD") == Decimal("0.02")
