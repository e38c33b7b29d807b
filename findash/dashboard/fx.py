"""Exchange rates for the dashboard: which rate applies on a day, and exact conversion.

A flow uses the latest rate dated on or before its day; a rate ``A→B`` also
serves ``B→A`` as ``1/rate`` (on a day with both, the direct one wins). Rates
are held as exact fractions, so ``Σ amount * rate`` is exact even for inverse
rates; figures are rounded once, half-even, when they are reported.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from findash.common.money import RATE_DECIMAL_PLACES, quantum

ONE = Fraction(1)


@dataclass(frozen=True)
class Rate:
    day: date
    value: Fraction
    direct: bool

    @property
    def shown(self) -> Decimal:
        """The rate as reported: exact when direct, 10 places when it is an inverse."""
        return fraction_round(self.value, RATE_DECIMAL_PLACES)


def fraction_round(value: Fraction, places: int) -> Decimal:
    """Round half-even to ``places`` decimals (``round`` on a Fraction is half-even)."""
    scaled = round(value * 10**places)
    return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def money_round(value: Fraction, currency: str) -> Decimal:
    places = -int(quantum(currency).as_tuple().exponent)
    return fraction_round(value, places)


class RateBook:
    """Every rate between the currencies a dashboard needs, loaded once."""

    def __init__(self, rates: Iterable[tuple[date, str, str, Decimal]]) -> None:
        pairs: dict[tuple[str, str], dict[date, Rate]] = defaultdict(dict)
        for day, base, quote, rate in rates:
            if rate <= 0:
                continue
            value = Fraction(rate)
            pairs[(base, quote)][day] = Rate(day, value, True)
            inverse = pairs[(quote, base)]
            if day not in inverse or not inverse[day].direct:
                inverse[day] = Rate(day, 1 / value, False)
        self._rates = {
            pair: sorted(by_day.values(), key=lambda r: r.day) for pair, by_day in pairs.items()
        }
        self._days = {pair: [r.day for r in rates] for pair, rates in self._rates.items()}

    def rate_on(self, source: str, target: str, day: date) -> Rate | None:
        """The rate converting ``source`` into ``target`` on ``day``; None when there is none."""
        days = self._days.get((source, target))
        if not days:
            return None
        index = bisect.bisect_right(days, day)
        return self._rates[(source, target)][index - 1] if index else None

    def factor(self, source: str, target: str, day: date) -> Fraction | None:
        if source == target:
            return ONE
        rate = self.rate_on(source, target, day)
        return rate.value if rate is not None else None

    def changes_between(self, source: str, target: str, after: date, until: date) -> bool:
        """Whether a rate for the pair is dated in ``(after, until]``."""
        if source == target:
            return False
        days = self._days.get((source, target), [])
        return bisect.bisect_right(days, until) > bisect.bisect_right(days, after)

    def first_day(self, source: str, target: str) -> date | None:
        if source == target:
            return date.min
        days = self._days.get((source, target))
        return days[0] if days else None

    def max_factor(self, source: str, target: str, start: date, end: date) -> Fraction | None:
        """The largest rate applying on any day of ``[start, end]``."""
        if source == target:
            return ONE
        candidates = [
            r.value for r in self._rates.get((source, target), []) if start < r.day <= end
        ]
        opening = self.rate_on(source, target, start)
        if opening is not None:
            candidates.append(opening.value)
        return max(candidates, default=None)


class Converted:
    """An exact running total in a target currency: ``Σ cents/100 * rate``.

    Same-currency amounts (rate 1, by far the most common) stay plain integers. Other
    amounts are summed per rate object (RateBook hands out one object per rate, so no
    fraction is hashed), and converted only when the total is rounded.
    """

    __slots__ = ("by_rate", "cents")

    def __init__(self) -> None:
        self.cents = 0
        self.by_rate: dict[int, list[Fraction | int]] = {}

    def add(self, cents: int, factor: Fraction) -> None:
        if factor is ONE or factor == 1:
            self.cents += cents
            return
        entry = self.by_rate.get(id(factor))
        if entry is None:
            self.by_rate[id(factor)] = [factor, cents]
        else:
            entry[1] += cents

    def exact(self) -> Fraction:
        return Fraction(self.cents, 100) + sum(
            (Fraction(c, 100) * f for f, c in self.by_rate.values()), Fraction(0)
        )

    def rounded(self, currency: str) -> Decimal:
        places = -int(quantum(currency).as_tuple().exponent)
        if not self.by_rate and places >= 2:
            return Decimal(self.cents).scaleb(-2).quantize(Decimal(1).scaleb(-places))
        scaled = _rounded_by_interval(self.cents, self.by_rate.values(), places)
        if scaled is None:  # too close to a rounding tie to decide cheaply
            return fraction_round(self.exact(), places)
        return Decimal(scaled).scaleb(-places).quantize(Decimal(1).scaleb(-places))


_GUARD_DIGITS = 24


def _rounded_by_interval(
    cents: int, terms: Iterable[list[Fraction | int]], places: int
) -> int | None:
    """``round(Σ, places)`` half-even, scaled to an integer, in integer arithmetic.

    Each term is floored at ``places + 24`` digits; the exact sum lies in
    ``[low, low + inexact]`` of those units. When no rounding tie lies in that interval,
    every value in it rounds alike and the answer is exact; otherwise None.
    """
    digits = places + _GUARD_DIGITS
    unit = 10**digits
    per_cent = unit // 100  # exact: digits >= 2
    low = cents * per_cent
    inexact = 0
    for factor, amount in terms:
        quotient, remainder = divmod(
            amount * factor.numerator * per_cent,
            factor.denominator,
        )
        low += quotient
        if remainder:
            inexact += 1
    step = 10**_GUARD_DIGITS  # one unit of the rounded result
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
