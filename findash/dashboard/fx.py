"""Exchange rates for the dashboard: which rate applies on a day, and exact conversion.

A flow uses the latest rate dated on or before its day; a rate ``A→B`` also
serves ``B→A`` as ``1/rate`` (on a day with both, the direct one wins). Rates
are held as exact fractions, so ``Σ amount * rate`` is exact even for inverse
rates; figures are rounded once, half-even, when they are reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from findash.common.fx_rates import (
    INTERVAL_DIGITS,
    ONE,
    Interval,
    floor_term,
    fraction_round,
)
from findash.common.money import quantum


class Converted:
    """An exact running total in a target currency: ``Σ cents/100 * rate``.

    Same-currency amounts (rate 1, by far the most common) stay plain integers. Other
    amounts are summed per rate object (RateBook hands out one object per rate, so no
    fraction is hashed), and converted only when the total is rounded. Sums converted
    beforehand (``findash.ledger.converted``) arrive as :class:`Interval` at rate 1.
    """

    __slots__ = ("by_rate", "cents", "intervals")

    def __init__(self) -> None:
        self.cents = 0
        self.by_rate: dict[int, list[Fraction | int]] = {}
        self.intervals: list[Interval] = []

    def add(self, cents: int | Interval, factor: Fraction) -> None:
        if factor is ONE or factor == 1:
            if isinstance(cents, Interval):
                self.intervals.append(cents)
            else:
                self.cents += cents
            return
        entry = self.by_rate.get(id(factor))  # intervals come at rate 1 only
        if entry is None:
            self.by_rate[id(factor)] = [factor, cents]  # type: ignore[list-item]
        else:
            entry[1] += cents  # type: ignore[operator]

    def exact(self) -> Fraction:
        return (
            Fraction(self.cents, 100)
            + sum((Fraction(c, 100) * f for f, c in self.by_rate.values()), Fraction(0))
            + sum((i.exact() for i in self.intervals), Fraction(0))
        )

    def rounded(self, currency: str) -> Decimal:
        places = -int(quantum(currency).as_tuple().exponent)
        if not self.by_rate and not self.intervals and places >= 2:
            return Decimal(self.cents).scaleb(-2).quantize(Decimal(1).scaleb(-places))
        scaled = _rounded_by_interval(self.cents, self.by_rate.values(), self.intervals, places)
        if scaled is None:  # too close to a rounding tie to decide cheaply
            return fraction_round(self.exact(), places)
        return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def _rounded_by_interval(
    cents: int,
    terms: Iterable[list[Fraction | int]],
    intervals: Iterable[Interval],
    places: int,
) -> int | None:
    """``round(Σ, places)`` half-even, scaled to an integer, in integer arithmetic.

    Each term is floored at ``INTERVAL_DIGITS`` (30) digits, as the pre-converted
    intervals are; the exact sum lies in ``[low, low + inexact]`` of those units. When no
    rounding tie lies in that interval, every value in it rounds alike and the answer is
    exact; otherwise None.
    """
    low = cents * 10 ** (INTERVAL_DIGITS - 2)
    inexact = 0
    for factor, amount in terms:
        quotient, extra = floor_term(amount, factor)  # type: ignore[arg-type]
        low += quotient
        inexact += extra
    for interval in intervals:
        low += interval.low
        inexact += interval.inexact
    step = 10 ** (INTERVAL_DIGITS - places)  # one unit of the rounded result
    whole, rest = divmod(low, step)
    half = step // 2
    if inexact == 0:
        if rest > half or (rest == half and whole % 2):
            whole += 1
        return whole
    # Exact value in [low, low + inexact]: decided unless a tie (rest == half) is reachable.
    if rest + inexact < half:
        return whole
    if rest > half:
        return whole + 1 if rest + inexact < step + half else None
    return None
