"""The period's largest outflows in base currency, found by walking an index per month.

Each (currency, month) of the period is read through the index of non-transfer
outflows (``largest_walk``): its 11 most negative rows in the period. Where the
month's rate into the base is constant, ranking by amount is ranking by base value,
so those rows suffice, however many rows share an amount. Where the rate changes
inside the month, an unseen row could still beat the 10th best; only then is the
month read further, down to the bound that the month's highest rate allows.

Long periods walk newest first: the newest ``FIRST_MONTHS`` months are read
first, and their 10th best value bounds every older month (a row whose base
value is above it has ten rows ahead of it already), so an older month returns
only the rows that could still rank. Months before the tenant's first flow (when the
accounts' read tells it: ``Flows.first_month_read``) are not walked at all.

Each walked row is valued once (``_Values``): a float estimate ranks it, and only the
rows whose estimate could reach the top ten are valued exactly (``_contenders``); the
ten that rank are then read whole.
"""

from __future__ import annotations

import heapq
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

from findash.common.fx_rates import ONE, RateBook
from findash.common.months import month_end
from findash.dashboard.largest_walk import (
    LARGEST,
    NO_BOUND,
    Candidate,
    Outflow,
    Slice,
    Walks,
    outflows_by_id,
    walk_slices,
    walk_within_bounds,
)
from findash.dashboard.reference import ReferenceData

FIRST_MONTHS = 12  # newest months read before the rest, to bound the rest

__all__ = ["LARGEST", "Outflow", "largest_outflows"]


def _slices(ref: ReferenceData, first_month: date | None) -> list[Slice]:
    """Every (currency, month) of the period from ``first_month`` on, newest month first."""
    period, found = ref.period, []
    firsts = {c: ref.rates.first_day(c, ref.base) for c in ref.currencies}
    convertible = [(c, first) for c, first in firsts.items() if first is not None]
    # (a currency never convertible is left out, with a warning elsewhere)
    months = period.months()
    if first_month is not None:
        months = [month for month in months if month >= first_month]
    for month in reversed(months):
        last = month_end(month)
        for currency, first in convertible:
            start, end = max(month, period.start, first), min(last, period.end)
            if start <= end:
                whole = start == month and end == last
                found.append(Slice(currency, month, start, end, whole))
    return found


class _Highest(dict[str, Fraction]):
    """Per currency, the highest rate into the base on any day of the period (computed
    when first asked): where it cannot make a row rank, no lower rate can."""

    def __init__(self, ref: ReferenceData) -> None:
        super().__init__()
        self.ref = ref

    def __missing__(self, currency: str) -> Fraction:
        ref = self.ref
        found = ref.rates.max_factor(currency, ref.base, ref.period.start, ref.period.end)
        self[currency] = found or ONE
        return self[currency]


def _bounded(slices: list[Slice], tenth: Fraction, highest: _Highest) -> list[Slice]:
    """The slices with the amount bound that a base value of ``tenth`` allows: rows above
    it rank after ``tenth``'s ten rows. One highest rate per currency over the whole
    period keeps the bound safe (a higher rate only loosens it) and cheap."""
    # Rounded up to the cent: never below the exact bound, so no row that ranks is lost.
    bound = {
        c: min(Decimal(math.ceil(tenth * 100 / highest[c])).scaleb(-2), NO_BOUND)
        for c in {s.currency for s in slices}
    }
    return [piece.under(bound[piece.currency]) for piece in slices]


def largest_outflows(
    ref: ReferenceData, first_month: date | None = None
) -> list[tuple[Fraction, Outflow]]:
    """The period's non-transfer outflows largest in base currency, most negative first.
    ``first_month``, when known, has no flow of the tenant before it (its months before
    are not walked: a long period's empty years cost a walk per currency and month)."""
    rates, base = ref.rates, ref.base
    slices, walks = _slices(ref, first_month), Walks(ref.tenant.pk)
    values = _Values(rates, base)
    highest = _Highest(ref)
    newest = set(sorted({s.month for s in slices}, reverse=True)[:FIRST_MONTHS])
    fetched = walk_slices([s for s in slices if s.month in newest], walks)
    older = [s for s in slices if s.month not in newest]
    if older:
        ranked = _ranked(values, fetched)
        if len(ranked) >= LARGEST:
            older = _bounded(older, ranked[LARGEST - 1][0], highest)
        fetched.update(walk_slices(older, walks))
    ranked = _ranked(values, fetched)
    if len(ranked) >= LARGEST:
        tenth = ranked[LARGEST - 1][0]
        extend = []
        for piece, seen in fetched.items():
            if len(seen) <= LARGEST or (piece.currency, piece.month) not in ref.split_to_base:
                continue
            if Fraction(seen[-1].amount) * highest[piece.currency] > tenth:
                continue  # not even the period's highest rate lets an unseen row rank
            factor = rates.max_factor(piece.currency, base, piece.start, piece.end) or ONE
            if Fraction(seen[-1].amount) * factor <= tenth:
                # One range on amount only: the walk stays on the index.
                bound = Decimal(math.floor(tenth * 100 / factor)).scaleb(-2)
                extend.append((piece, piece.under(min(bound, piece.bound))))
        if extend:
            further = walk_within_bounds([bounded for _, bounded in extend], walks)
            for piece, bounded in extend:
                fetched[piece] = further[bounded]
            ranked = _ranked(values, fetched)
    ranked = ranked[:LARGEST]
    whole = outflows_by_id([row.id for _, row in ranked])
    return [(value, whole[row.id]) for value, row in ranked]


class _Values:
    """Each walked row's base value, looked up once however often the row is ranked: a
    float estimate (``RateBook.float_factor``) and, for contenders only, the exact value."""

    def __init__(self, rates: RateBook, base: str) -> None:
        self.rates = rates
        self.base = base
        self._estimates: dict[int, float | None] = {}
        self._exact: dict[int, Fraction] = {}

    def estimate(self, row: Candidate) -> float | None:
        """None when no rate converts the row (it is left out, with a warning elsewhere)."""
        if row.id in self._estimates:
            return self._estimates[row.id]
        rate = self.rates.float_factor(row.currency, self.base, row.date)
        found = self._estimates[row.id] = None if rate is None else float(row.amount) * rate
        return found

    def exact(self, row: Candidate) -> Fraction:
        found = self._exact.get(row.id)
        if found is None:
            factor = self.rates.factor(row.currency, self.base, row.date)
            if factor is None:  # estimate() said there is one
                raise RuntimeError("largest outflows: a rate went missing")
            found = self._exact[row.id] = Fraction(row.amount) * factor
        return found


def _ranked(
    values: _Values, fetched: dict[Slice, list[Candidate]]
) -> list[tuple[Fraction, Candidate]]:
    """The ``LARGEST`` best of the rows read, as (base value, row), best first."""
    rows = [row for seen in fetched.values() for row in seen]
    if all(row.currency == values.base for row in rows):
        # All in the base currency: the amounts rank themselves (Decimal compares in C).
        best = heapq.nsmallest(LARGEST, rows, key=lambda row: (row.amount, row.id))
        return [(Fraction(row.amount), row) for row in best]
    estimated = []
    for row in rows:
        estimate = values.estimate(row)
        if estimate is not None:
            estimated.append((estimate, row))
    valued = [(values.exact(row), row) for row in _contenders(estimated)]
    return heapq.nsmallest(LARGEST, valued, key=lambda item: (item[0], item[1].id))


def _contenders(estimated: list[tuple[float, Candidate]]) -> list[Candidate]:
    """The rows whose exact base value could rank, chosen by a float estimate of it.

    Each estimate is within a relative ``2**-50`` of the exact value: it rounds at most
    four times, each correctly by ``2**-53`` at most (``float`` of the Decimal amount, of
    the Decimal rate, ``1 / x`` for an inverse rate, the product). All values are negative
    (outflows, positive rates), so with ``tenth`` the 10th lowest estimate and ``e`` that
    bound, the 10th lowest exact value is at most ``tenth / (1 + e)`` and every row that
    ranks is estimated at most ``tenth * (1 - e) / (1 + e)``, above ``tenth`` by less
    than ``2e * |tenth|``: keeping the estimates up to ``tenth`` plus a far wider margin
    loses none."""
    if len(estimated) <= LARGEST:
        return [row for _, row in estimated]
    tenth = heapq.nsmallest(LARGEST, [estimate for estimate, _ in estimated])[-1]
    if tenth >= 0:
        return [row for _, row in estimated]
    limit = tenth - tenth * 1e-9
    return [row for estimate, row in estimated if estimate <= limit]
