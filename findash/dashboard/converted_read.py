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
from functools import cached_property, partial
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Case, DateField, Sum, Value, When

from findash.common.fx_rates import Interval, from_limbs
from findash.common.months import month_end
from findash.dashboard.flows import Flow, Flows, monthly_condition
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import grouped, in_ranges, rollup_sums
from findash.ledger.converted_sums import decode_missing
from findash.ledger.models import (
    ConvertedFlowRollup,
    ConvertedState,
    DailyRollup,
    MonthlyRollup,
)

_FIELDS = ("total", "inflow", "outflow")
_SUMS = rollup_sums()

_USABLE: WeakKeyDictionary[ReferenceData, bool] = WeakKeyDictionary()


def converted_usable(ref: ReferenceData) -> bool:
    """Whether the tenant's converted rows cover this dashboard's conversions (asked once
    per request)."""
    if set(ref.currencies) <= {ref.base}:
        # Every account in the base currency (no query for the budgets): only budgets in
        # another currency convert, from the monthly rollups (per day in a month whose
        # rate changes), which a tenant of one account currency can afford.
        return False
    if ref not in _USABLE:
        state = ConvertedState.objects.first()
        _USABLE[ref] = (
            state is not None and state.base == ref.base and ref.targets <= state.target_set
        )
    return _USABLE[ref]


def flows_for(ref: ReferenceData) -> Flows:
    if converted_usable(ref):
        return ConvertedFlows(ref)
    ref.rates_history = True  # budgets' rollover chains convert per day
    return Flows(ref)


def warning_flows(missing: str, key: int, month: date) -> list[Flow]:
    """Empty flows on a day with no rate: converting them raises the missing-rate warning
    exactly where a per-day conversion would have."""
    return [
        Flow(cur, key, month, day, 0, 0, 0, 0, 0) for cur, day in decode_missing(missing).items()
    ]


_LIMBS = [f"{name}_{part}" for name in _FIELDS for part in ("hi", "mid", "lo", "inexact")]


class ConvertedFlows(Flows):
    """``Flows`` whose other currencies come converted: whole months as they are stored,
    the days of partial months summed in SQL."""

    @cached_property
    def _monthly(self) -> list[Flow]:
        """``Flows._monthly`` of the target currencies only: the others come converted."""
        rows = grouped(
            MonthlyRollup.objects.filter(
                monthly_condition(self.ref), is_transfer=False, account_id__in=self._target_accounts
            ),
            {"currency": "account__currency", "key": "category_key", "month": "month"},
            _SUMS,
        )
        return [Flow(cur, key, m, m, *sums) for cur, key, m, *sums in rows if any(sums)]

    @cached_property
    def _target_accounts(self) -> list[int]:
        return [a.id for a in self.ref.accounts if a.currency in self.ref.targets]

    @cached_property
    def _converted(self) -> list[tuple[Any, ...]]:
        ref = self.ref
        return list(
            ConvertedFlowRollup.objects.filter(
                monthly_condition(ref, "start"), months=1, target__in=sorted(ref.targets)
            )
            .order_by()
            .values_list(
                "target", "start", "category_key", *_LIMBS, "count", "inflow_count", "missing"
            )
        )

    def _flow(self, target: str, month: date, days: tuple[date, date], key: int, row: Any) -> Flow:
        """A flow of sums already converted into ``target`` (``row``: limbs, counts). The
        dashboard reads a category's total, and the inflow and outflow of uncategorized
        flows (``Dashboard._classify``): only those become intervals."""
        fields = _FIELDS[1:] if key not in self.ref.categories else _FIELDS[:1]
        sums: dict[str, Interval | int] = dict.fromkeys(_FIELDS, 0)
        for field in fields:
            index = _FIELDS.index(field) * 4
            sums[field] = Interval(
                from_limbs(row[index], row[index + 1], row[index + 2]),
                int(row[index + 3]),
                partial(self._exact, target, days, key, field),
            )
        # Flow's sums are hundredths; these are intervals, which Converted adds at rate 1.
        counts = {"count": int(row[12]), "inflow_count": int(row[13])}
        return Flow(target, key, month, month, **sums, **counts)  # type: ignore[arg-type]

    def _flows_into(
        self, target: str, months: Callable[[date], bool], keys: set[int] | None = None
    ) -> list[Flow]:
        found: list[Flow] = []
        for cur, month, key, *row in self._converted:
            if cur != target or not months(month) or (keys is not None and key not in keys):
                continue
            found.append(self._flow(target, month, (month, month_end(month)), key, row))
            if row[14]:
                found += warning_flows(row[14], key, month)
        return found

    def _exact(self, target: str, days: tuple[date, date], key: int, field: str) -> Fraction:
        """The exact converted sum behind one interval, per day (rarely needed)."""
        rows = grouped(
            DailyRollup.objects.filter(
                day__range=days, category_key=key, is_transfer=False
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
        """Partial months of every currency but the base: their days summed in SQL, one
        row per category and month (rows with a missing rate read again, rarely)."""
        edges = self.period.edges()
        if not edges:
            return []
        base = self.ref.base
        days = ConvertedFlowRollup.objects.filter(
            in_ranges("start", edges), target=base, months=0
        ).order_by()
        month = Case(  # at most two edges, each inside one month
            When(start__lte=edges[0][1], then=Value(edges[0][0].replace(day=1))),
            default=Value(edges[-1][0].replace(day=1)),
            output_field=DateField(),
        )
        sums: dict[str, Any] = {
            column: Sum(column) for column in [*_LIMBS, "count", "inflow_count"]
        }
        sums["missing_rows"] = Sum(Case(When(missing="", then=0), default=1))
        found = []
        span = {first.replace(day=1): (first, last) for first, last in edges}
        missing = False
        for key, first, *row in (
            days.values("category_key", edge=month)
            .annotate(**sums)
            .values_list("category_key", "edge", *sums)
        ):
            found.append(self._flow(base, first, span[first], key, row))
            missing = missing or bool(row[14])
        if missing:
            for key, day, text in days.exclude(missing="").values_list(
                "category_key", "start", "missing"
            ):
                found += warning_flows(text, key, day.replace(day=1))
        return found

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
        keys = self.ref.budget_keys
        found = [f for f in self._monthly if f.currency == currency and f.category_key in keys]
        return found + self._flows_into(currency, lambda _month: True, keys)
