"""Exchange rates: which rate applies on a day, held as exact fractions.

A flow uses the latest rate dated on or before its day; a rate ``A→B`` also
serves ``B→A`` as ``1/rate`` (on a day with both, the direct one wins). Shared by the
dashboard (``findash.dashboard.fx``) and the converted rollups (``findash.ledger.converted``).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from findash.common.money import RATE_DECIMAL_PLACES, quantum
from findash.common.months import month_end, next_month

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
    """Every rate between the currencies a dashboard needs, loaded once.

    Rates are held as loaded and made :class:`Rate` (an exact fraction) only when first
    looked up, once each: a tenant with a rate a day for years uses few of them.
    """

    def __init__(self, rates: Iterable[tuple[date, str, str, Decimal]]) -> None:
        self._build(rates)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str, list[date], list[str]]]) -> RateBook:
        """A book from each pair's rates as columns: ``(base, quote, days, rates)``, days
        ascending, rates positive decimals as text (``Fraction``/``float``/``Decimal`` read
        them exactly), so the rows of years of daily rates are not built one by one."""
        book = cls.__new__(cls)
        book._index({(base, quote): (days, rates) for base, quote, days, rates in pairs})
        return book

    def _build(self, rates: Iterable[tuple[date, str, str, Decimal]]) -> None:
        pairs: dict[tuple[str, str], dict[date, Decimal]] = defaultdict(dict)
        for day, base, quote, rate in rates:
            if rate > 0:
                pairs[(base, quote)][day] = rate
        columns = {}
        for pair, by_day in pairs.items():
            days = sorted(by_day)
            columns[pair] = (days, [by_day[day] for day in days])
        self._index(columns)

    def _index(self, direct: dict[tuple[str, str], tuple[list[date], list[Any]]]) -> None:
        """Hold each pair's direct rates and, for the reverse pair, their inverses (on a day
        with both, the direct one wins)."""
        self._days: dict[tuple[str, str], list[date]] = {}
        self._values: dict[tuple[str, str], list[Any]] = {}
        # Per pair: True/False when all its rates are direct/inverse, else one flag per day.
        self._direct: dict[tuple[str, str], bool | list[bool]] = {}
        for pair, (days, values) in direct.items():
            reverse = direct.get(pair[::-1])
            if reverse is None:
                self._days[pair], self._values[pair], self._direct[pair] = days, values, True
                self._days[pair[::-1]], self._values[pair[::-1]] = days, values
                self._direct[pair[::-1]] = False
                continue
            merged = {day: (value, False) for day, value in zip(*reverse, strict=True)}
            merged.update((day, (value, True)) for day, value in zip(days, values, strict=True))
            ordered = sorted(merged.items())
            self._days[pair] = [day for day, _ in ordered]
            self._values[pair] = [value for _, (value, _) in ordered]
            self._direct[pair] = [is_direct for _, (_, is_direct) in ordered]
        self._made: dict[tuple[str, str], dict[int, Rate]] = defaultdict(dict)
        self._floats: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
        # Per pair, lazily: days and values of its direct rates, and of its inverse ones.
        self._kinds: dict[
            tuple[str, str], tuple[list[date], list[Decimal], list[date], list[Decimal]]
        ] = {}

    def _entry(self, pair: tuple[str, str], index: int) -> tuple[date, Any, bool]:
        flags = self._direct[pair]
        direct = flags if isinstance(flags, bool) else flags[index]
        return self._days[pair][index], self._values[pair][index], direct

    def _covers(self, pair: tuple[str, str], first: date, last: date) -> None:
        """Make sure the rates held answer for ``pair`` over ``[first, last]`` (they all are
        here; see ``findash.common.fx_window``)."""

    def _rate(self, pair: tuple[str, str], index: int) -> Rate:
        made = self._made[pair]
        found = made.get(index)
        if found is None:
            day, value, direct = self._entry(pair, index)
            exact = Fraction(value)
            found = made[index] = Rate(day, exact if direct else 1 / exact, direct)
        return found

    def rate_on(self, source: str, target: str, day: date) -> Rate | None:
        """The rate converting ``source`` into ``target`` on ``day``; None when there is none."""
        self._covers((source, target), day, day)
        days = self._days.get((source, target))
        if not days:
            return None
        index = bisect.bisect_right(days, day)
        return self._rate((source, target), index - 1) if index else None

    def float_factor(self, source: str, target: str, day: date) -> float | None:
        """``factor`` as a float, to estimate with (never a figure): the stored decimal's
        nearest float, and its inverse (one more rounding) for an inverse rate."""
        if source == target:
            return 1.0
        pair = (source, target)
        self._covers(pair, day, day)
        days = self._days.get(pair)
        index = bisect.bisect_right(days, day) - 1 if days else -1
        if index < 0:
            return None
        floats = self._floats[pair]
        found = floats.get(index)
        if found is None:
            _day, value, direct = self._entry(pair, index)
            found = floats[index] = float(value) if direct else 1 / float(value)
        return found

    def factor(self, source: str, target: str, day: date) -> Fraction | None:
        if source == target:
            return ONE
        rate = self.rate_on(source, target, day)
        return rate.value if rate is not None else None

    def changes_between(self, source: str, target: str, after: date, until: date) -> bool:
        """Whether a rate for the pair is dated in ``(after, until]``."""
        if source == target:
            return False
        self._covers((source, target), after, until)
        days = self._days.get((source, target), [])
        return bisect.bisect_right(days, until) > bisect.bisect_right(days, after)

    def months_changing(self, source: str, target: str, first: date, last: date) -> set[date]:
        """The months (first days) from ``first`` to ``last`` (first days) with a rate for the
        pair dated after their first day: ``changes_between`` of each month, in one pass."""
        if source == target:
            return set()
        until = month_end(last)
        self._covers((source, target), first, until)
        days = self._days.get((source, target), [])
        found, index, stop = (
            set(),
            bisect.bisect_right(days, first),
            bisect.bisect_right(days, until),
        )
        while index < stop:
            day = days[index]
            if day.day == 1:
                index += 1
                continue
            found.add(day.replace(day=1))  # then on to the next month: a rate a day is common
            index = bisect.bisect_left(days, next_month(day.replace(day=1)), index, stop)
        return found

    def first_day(self, source: str, target: str) -> date | None:
        """The day of the pair's first rate. ``fx_window``: exact inside the window; when
        before it, some day no later than its first; when after it, None."""
        if source == target:
            return date.min
        self._covers((source, target), date.max, date.min)
        days = self._days.get((source, target))
        return days[0] if days else None

    def _by_kind(
        self, pair: tuple[str, str]
    ) -> tuple[list[date], list[Decimal], list[date], list[Decimal]]:
        found = self._kinds.get(pair)
        if found is None:
            days, values = self._days.get(pair, []), self._values.get(pair, [])
            flags = self._direct.get(pair, True)
            if isinstance(flags, bool):  # all of one kind (the usual case)
                one_kind = (days, list(map(Decimal, values)))
                empty: tuple[list[date], list[Decimal]] = ([], [])
                found = self._kinds[pair] = (*one_kind, *empty) if flags else (*empty, *one_kind)
                return found
            direct_days: list[date] = []
            direct: list[Decimal] = []
            inverse_days: list[date] = []
            inverse: list[Decimal] = []
            for day, value, is_direct in zip(days, values, flags, strict=True):
                (direct_days if is_direct else inverse_days).append(day)
                (direct if is_direct else inverse).append(Decimal(value))
            found = self._kinds[pair] = (direct_days, direct, inverse_days, inverse)
        return found

    def max_factor(self, source: str, target: str, start: date, end: date) -> Fraction | None:
        """The largest rate applying on any day of ``[start, end]``."""
        if source == target:
            return ONE
        pair = (source, target)
        self._covers(pair, start, end)
        direct_days, direct, inverse_days, inverse = self._by_kind(pair)
        highest = direct[
            bisect.bisect_right(direct_days, start) : bisect.bisect_right(direct_days, end)
        ]
        lowest = inverse[
            bisect.bisect_right(inverse_days, start) : bisect.bisect_right(inverse_days, end)
        ]
        candidates = [Fraction(max(highest))] if highest else []
        if lowest:
            candidates.append(1 / Fraction(min(lowest)))
        opening = self.rate_on(source, target, start)
        if opening is not None:
            candidates.append(opening.value)
        return max(candidates, default=None)


# --- exact sums held as intervals --------------------------------------------------

INTERVAL_DIGITS = 30  # an interval counts units of 10**-30 of its currency
_PER_CENT = 10 ** (INTERVAL_DIGITS - 2)


def floor_term(cents: int, factor: Fraction) -> tuple[int, int]:
    """``cents/100 * factor`` in units of ``10**-30``: (floor, 1 if inexact else 0)."""
    quotient, remainder = divmod(cents * factor.numerator * _PER_CENT, factor.denominator)
    return quotient, 1 if remainder else 0


class Interval:
    """An exact sum known to lie in ``[low, low + inexact]`` units of ``10**-30``.

    ``exact`` recomputes the exact value (slowly); it is called only when the interval
    straddles a rounding tie, which practically never happens.
    """

    __slots__ = ("exact", "inexact", "low")

    def __init__(self, low: int, inexact: int, exact: Callable[[], Fraction]) -> None:
        self.low = low
        self.inexact = inexact
        self.exact = exact

    def __neg__(self) -> Interval:
        exact = self.exact
        return Interval(-self.low - self.inexact, self.inexact, lambda: -exact())

    def __bool__(self) -> bool:
        return bool(self.low or self.inexact)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int):
            return self.inexact == 0 and self.low == other * 10**INTERVAL_DIGITS
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Interval({self.low}, {self.inexact})"


LIMB = 10**15


def to_limbs(value: int) -> tuple[int, int, int]:
    """``value`` as ``(hi, mid, lo)`` with ``value = hi * 10**30 + mid * 10**15 + lo``."""
    high, low = divmod(value, LIMB)
    hi, mid = divmod(high, LIMB)
    return hi, mid, low


def from_limbs(hi: int, mid: int, lo: int) -> int:
    """The inverse of :func:`to_limbs`, also for limb-wise sums."""
    return (int(hi) * LIMB + int(mid)) * LIMB + int(lo)
