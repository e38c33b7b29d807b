"""Multi-currency top payees round only the payees that could rank, and rank the same."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from findash.common.fx_rates import INTERVAL_DIGITS, ONE, Interval
from findash.dashboard.converted_payees import _could_rank
from findash.dashboard.fx import Converted
from findash.dashboard.payees import spenders_ranked

UNITS = 10**INTERVAL_DIGITS

# Converted parts in currency units: whole cents, thirds of a cent (inexact intervals) and
# half cents (exact intervals on a rounding tie).
parts = st.tuples(
    st.integers(-3, 40),  # cents
    st.sampled_from([Fraction(0), Fraction(1, 300), Fraction(2, 300), Fraction(1, 200)]),
    st.integers(-2, 2),  # whole cents inside the interval
)


def _interval(value: Fraction) -> Interval:
    low = math.floor(value * UNITS)
    return Interval(low, 0 if low == value * UNITS else 1, lambda: value)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abcdefghijklmnop"), parts), max_size=30),
    st.sampled_from(["USD", "JPY"]),
    st.integers(1, 10),
)
def test_the_payees_left_out_never_rank(
    rows: list[tuple[str, tuple[int, Fraction, int]]], currency: str, limit: int
) -> None:
    spent: dict[str, Converted] = {}
    count: dict[str, int] = {}
    for payee, (cents, fraction, whole) in rows:
        total = spent.setdefault(payee, Converted())
        total.add(cents, ONE)
        total.add(_interval(fraction + Fraction(whole, 100)), ONE)
        count[payee] = count.get(payee, 0) + 1
    could = _could_rank(spent, currency, limit)
    kept = {payee: n for payee, n in count.items() if payee in could}
    assert spenders_ranked(spent, kept, currency, limit) == spenders_ranked(
        spent, count, currency, limit
    )


def test_only_payees_near_the_top_are_rounded() -> None:
    spent: dict[str, Converted] = {}
    for dollars in range(1, 31):
        spent[f"p{dollars:02}"] = total = Converted()
        total.add(_interval(Fraction(dollars) + Fraction(1, 3)), ONE)
    assert _could_rank(spent, "USD", 10) == {f"p{dollars}" for dollars in range(21, 31)}
