"""A :class:`RateBook` holding only the rates of a window of days, loading more on demand.

A dashboard converted from the rollups asks for rates of its period only (balances at
its end, its partial months, largest outflows, payees), so loading every rate of years
of history on each request is wasted. The book starts with the rates dated in the
window; a pair whose held rates do not begin on the window's first day also needs the
latest rate before it (of either direction), read once the pair is first asked for. A
question about any day outside the window that the rates held might answer wrongly
loads every rate first, so every answer is the one the whole book gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from findash.common.fx_rates import RateBook

Row = tuple[date, str, str, Decimal]
Pair = tuple[str, str]


class WindowedRateBook(RateBook):
    def __init__(
        self,
        rates: Iterable[Row],
        *,
        window: tuple[date, date],
        before: Callable[[Pair], Iterable[Row]],
        everything: Callable[[], Iterable[Row]],
    ) -> None:
        """``rates``: every rate dated in ``window``; ``before(pair)``: the latest rate
        before the window of each direction of ``pair``; ``everything()``: all rates."""
        self._rows = list(rates)
        self._window: tuple[date, date] | None = window
        self._before = before
        self._everything = everything
        self._known: set[Pair] = set()  # pairs whose rates before the window are held
        super().__init__(self._rows)

    def _covers(self, pair: Pair, first: date, last: date) -> None:
        window = self._window
        if window is None:
            return
        days = self._days.get(pair)
        if pair not in self._known and (first < window[0] or not days or days[0] > window[0]):
            # The pair's latest rate before the window may apply (or tell that none does).
            self._known |= {pair, (pair[1], pair[0])}
            more = list(self._before(pair))
            if more:
                self._rows += more
                self._build(self._rows)
            days = self._days.get(pair)
        if last > window[1] or (first < window[0] and days and days[0] < window[0]):
            # Rates outside the window may apply: every rate, once.
            self._window = None
            self._build(self._everything())
