"""Flows of multi-currency tenants read from the converted rollups (``ledger.converted``).

Whole months: each target's own currency from the monthly rollups (rate 1), every other
currency already converted, as an :class:`Interval` per category and month. Partial months:
per day from the daily rollups, converted here. So a period reads ``months x categories``
converted rows plus at most two months of days, whatever its length; a 10-year period
converts nothing per day. Rounding stays exact: an interval that straddles a rounding tie
is recomputed exactly per day (``_exact``).

Used only while the tenant's ``ConvertedState`` covers its base and budget currencies;
otherwise :class:`~findash.dashboard.flows.Flows` converts per day as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import Q

from findash.common.months import month_end, month_start
from findash.dashboard.flows import _SUMS, Flow, Flows, in_ranges
from findash.dashboard.fx import Interval
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import grouped
from findash.ledger.converted import decode_missing
from findash.ledger.models import ConvertedMonthlyRollup, ConvertedState, DailyRollup

_FIELDS = ("total", "inflow", "outflow")


def converted_usable(ref: ReferenceData) -> bool:
    """Whether the tenant's converted rows cover this dashboard's conversions."""
    if set(ref.currencies) | ref.targets == {ref.base}:
        return False  # one currency: nothing to convert
    state = ConvertedState.objects.first()
    return state is not None and state.base == ref.base and ref.targets <= state.target_set


def flows_for(ref: ReferenceData) -> Flows:
    return ConvertedFlows(ref) if converted_usable(ref) else Flows(ref)


def warning_flows(missing: str, key: int, month: date) -> list[Flow]:
    """Empty flows on a day with no rate: converting them raises the missing-rate warning
    exactly where a per-day conversion would have."""
    return [
        Flow(cur, key, month, day, 0, 0, 0, 0, 0) for cur, day in decode_missing(missing).items()
    ]


class ConvertedFlows(Flows):
    """``Flows`` whose whole months of other currencies come converted."""

    @cached_property
    def _converted(self) -> list[tuple[Any, ...]]:
        ref = self.ref
        first = min(ref.first_month, ref.budget_history_start)
        condition = Q(month__range=(ref.first_month, ref.last_month))
        if ref.budget_keys and first < ref.first_month:
            condition |= Q(
                month__gte=first, month__lt=ref.first_month, category_key__in=ref.budget_keys
            )
        return list(
            ConvertedMonthlyRollup.objects.filter(condition, target__in=sorted(ref.targets))
            .order_by()
            .values_list(
                "target",
                "month",
                "category_key",
                "total_low",
                "total_inexact",
                "inflow_low",
                "inflow_inexact",
                "outflow_low",
                "outflow_inexact",
                "count",
                "inflow_count",
                "missing",
            )
        )

    def _flows_into(self, target: str, months: Callable[[date], bool]) -> list[Flow]:
        found: list[Flow] = []
        for row in self._converted:
            (cur, month, key, tl, ti, il, ii, ol, oi, count, inflow_count, missing) = row
            if cur != target or not months(month):
                continue
            total, inflow, outflow = (
                Interval(int(low), inexact, self._exact_of(target, month, key, field))
                for field, low, inexact in zip(_FIELDS, (tl, il, ol), (ti, ii, oi), strict=True)
            )
            # Flow's sums are hundredths; these are intervals, which Converted adds at rate 1.
            found.append(
                Flow(target, key, month, month, total, inflow, outflow, count, inflow_count)  # type: ignore[arg-type]
            )
            if missing:
                found += warning_flows(missing, key, month)
        return found

    def _exact_of(self, target: str, month: date, key: int, field: str) -> Callable[[], Fraction]:
        return lambda: self._exact(target, month, key, field)

    def _exact(self, target: str, month: date, key: int, field: str) -> Fraction:
        """The exact converted sum behind one interval, per day (rarely needed)."""
        rows = grouped(
            DailyRollup.objects.filter(
                day__range=(month, month_end(month)), category_key=key, is_transfer=False
            ).exclude(account__currency=target),
            {"currency": "account__currency", "day": "day"},
            {field: _SUMS[field]},
        )
        found = Fraction(0)
        for currency, day, cents in rows:
            factor = self.ref.rates.factor(currency, target, day)
            if factor is not None:
                found += Fraction(cents, 100) * factor
        return found

    @cached_property
    def _edge_days(self) -> list[Flow]:
        """Partial months of every currency but the base, per day."""
        edges = self.period.edges()
        if not edges:
            return []
        rows = grouped(
            DailyRollup.objects.filter(in_ranges("day", edges), is_transfer=False).exclude(
                account__currency=self.ref.base
            ),
            {"currency": "account__currency", "key": "category_key", "day": "day"},
            _SUMS,
        )
        return [
            Flow(cur, key, month_start(day), day, *sums)
            for cur, key, day, *sums in rows
            if any(sums)
        ]

    @cached_property
    def period_flows(self) -> list[Flow]:
        ref, period, base = self.ref, self.period, self.ref.base
        currency_of = {a.id: a.currency for a in ref.accounts}
        found = [f for f in self._monthly if f.currency == base and period.covers_month(f.month)]
        found += self._flows_into(base, period.covers_month)
        edges: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for account, key, transfer, month, *sums in self._edges:
            if transfer or currency_of[account] != base or not any(sums):
                continue
            row = edges[(key, month)]
            for index, value in enumerate(sums):
                row[index] += value
        found += [Flow(base, key, m, m, *sums) for (key, m), sums in edges.items()]
        return found + self._edge_days

    def flows_for(self, currency: str) -> list[Flow]:
        """Whole months' flows (for budgets in ``currency``), converted into it."""
        found = [f for f in self._monthly if f.currency == currency]
        return found + self._flows_into(currency, lambda _month: True)
