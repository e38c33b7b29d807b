"""Flows the dashboard reads, from the rollups only, with a fixed number of queries.

Whole months come from the monthly rollups and the days of partial months from
the daily ones, so no read grows with the length of a tenant's history or the
size of a month. A (currency, month) whose exchange rate changes inside the
month is read per day from the daily rollups and converted per day, so every
converted figure is exactly ``Σ amount * rate(day)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import BigIntegerField, Case, DateField, F, Min, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from findash.common.months import month_end
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import grouped, in_ranges, month_runs, rollup_sums, sum_cents
from findash.ledger.models import DailyRollup, MonthlyRollup

_SUMS = rollup_sums()


@dataclass(slots=True)
class Flow:
    """Non-transfer sums of one category in one currency, in hundredths (or, converted
    beforehand, :class:`~findash.common.fx_rates.Interval`).

    ``day`` is the day whose rate converts them: the first of the month when the
    rate is constant over the month, else the day itself. (Not frozen: a dashboard makes
    hundreds, and a frozen dataclass costs several times as much to make. Never changed.)
    """

    currency: str
    category_key: int  # category id, 0 when uncategorized
    month: date
    day: date
    total: int
    inflow: int
    outflow: int  # positive
    count: int
    inflow_count: int


def monthly_condition(ref: ReferenceData, field: str = "month") -> Q:
    """The whole months flows are read for: the period's, and before them those the budgets'
    rollover chains need (budget categories only). ``field`` holds the month's first day."""
    condition = Q(**{f"{field}__range": (ref.first_month, ref.last_month)})
    if ref.budget_keys and ref.budget_history_start < ref.first_month:
        condition |= Q(
            **{f"{field}__gte": ref.budget_history_start, f"{field}__lt": ref.first_month},
            category_key__in=ref.budget_keys,
        )
    return condition


class Flows:
    """Every flow figure for one tenant and period. Each property runs its query at most once."""

    def __init__(self, ref: ReferenceData) -> None:
        self.ref = ref
        self.period = ref.period
        # Once ``_by_account`` is read: no flow of any account is dated in a month before this
        # one and up to the last month read there (None: not read, or no row to tell).
        self.first_month_read: date | None = None

    # --- queries ---------------------------------------------------------

    @cached_property
    def _monthly(self) -> list[Flow]:
        """Non-transfer whole months: the period's, and before them those the budgets' rollover
        chains need (budget categories only)."""
        rows = grouped(
            MonthlyRollup.objects.filter(monthly_condition(self.ref), is_transfer=False),
            {"currency": "account__currency", "key": "category_key", "month": "month"},
            _SUMS,
        )
        return [Flow(cur, key, m, m, *sums) for cur, key, m, *sums in rows if any(sums)]

    @cached_property
    def _edges(self) -> list[tuple[Any, ...]]:
        """The partial months' days, per account, category, transfer flag and month."""
        edges = self.period.edges()
        if not edges:
            return []
        # At most two edges, each inside one month: a CASE names the month without a
        # date function per row.
        month = Case(
            When(day__lte=edges[0][1], then=Value(edges[0][0].replace(day=1))),
            default=Value(edges[-1][0].replace(day=1)),
            output_field=DateField(),
        )
        return grouped(
            DailyRollup.objects.filter(in_ranges("day", edges)),
            {
                "account_id": "account_id",
                "key": "category_key",
                "transfer": "is_transfer",
                "month": month,
            },
            _SUMS,
        )

    @cached_property
    def _split(self) -> list[Flow]:
        """Non-transfer flows of every split (currency, month), whole months, per day."""
        ref = self.ref
        in_period: dict[str, list[date]] = defaultdict(list)
        history: dict[str, list[date]] = defaultdict(list)  # budgets' rollover chains only
        for currency, month in ref.split:
            (in_period if month >= ref.first_month else history)[currency].append(month)
        if not in_period and not (history and ref.budget_keys):
            return []
        condition = Q(pk__in=[])
        for currency, months in in_period.items():
            condition |= Q(account_id__in=ref.accounts_in(currency)) & in_ranges(
                "day", month_runs(months)
            )
        for currency, months in history.items():
            condition |= Q(
                account_id__in=ref.accounts_in(currency), category_key__in=ref.budget_keys
            ) & in_ranges("day", month_runs(months))
        rows = grouped(
            DailyRollup.objects.filter(condition, is_transfer=False),
            {"currency": "account__currency", "key": "category_key", "day": "day"},
            _SUMS,
        )
        return [
            Flow(cur, key, day.replace(day=1), day, *sums)
            for cur, key, day, *sums in rows
            if any(sums)  # rows emptied by deletes stay behind as zeros
        ]

    # --- what the parts read ---------------------------------------------

    @cached_property
    def period_flows(self) -> list[Flow]:
        """Every non-transfer flow dated inside the period, each transaction counted once."""
        period, split = self.period, self.ref.split
        currency_of = {a.id: a.currency for a in self.ref.accounts}
        found = [
            f
            for f in self._monthly
            if period.covers_month(f.month) and (f.currency, f.month) not in split
        ]
        edges: dict[tuple[str, int, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for account, key, transfer, month, *sums in self._edges:
            currency = currency_of[account]
            if transfer or (currency, month) in split or not any(sums):
                continue
            row = edges[(currency, key, month)]
            for index, value in enumerate(sums):
                row[index] += value
        found += [Flow(cur, key, m, m, *sums) for (cur, key, m), sums in edges.items()]
        found += [f for f in self._split if f.day in period]
        return found

    @cached_property
    def whole_month_flows(self) -> list[Flow]:
        """Non-transfer flows of whole calendar months (for budgets), each counted once."""
        split = self.ref.split
        return [f for f in self._monthly if (f.currency, f.month) not in split] + self._split

    @cached_property
    def _by_account(self) -> dict[int, tuple[int, int, int, int]]:
        """Per account, from one read of the monthly rollups up to the balance's last whole
        month: (total of those months, and inflow, outflow, count of the period's whole
        months), transfers included."""
        end, last_month = self.period.end, self.ref.last_month
        months = Q(month__lte=last_month) if end == month_end(end) else Q(month__lt=last_month)
        full = self.period.full_months()
        inside = Q(month__range=(full[0], full[-1])) if full else Q(pk__in=[])
        sums = {
            "total": _SUMS["total"],
            "inflow": sum_cents("inflow", inside),
            "outflow": sum_cents("outflow", inside),
            "count": Coalesce(
                Sum(Case(When(inside, then=F("count")), default=Value(0))),
                Value(0),
                output_field=BigIntegerField(),
            ),
        }
        rows = grouped(
            MonthlyRollup.objects.filter(months),
            {"account_id": "account_id"},
            {**sums, "first": Min("month")},  # every flow's month has a row
        )
        self.first_month_read = min((row[-1] for row in rows), default=None)
        return {
            account: (total, inflow, outflow, count)
            for account, total, inflow, outflow, count, _first in rows
        }

    @cached_property
    def account_totals(self) -> dict[int, list[int]]:
        """Per account: [inflow, outflow, count] in the period, transfers included."""
        totals = {a.id: [0, 0, 0] for a in self.ref.accounts}
        for account, (_total, inflow, outflow, count) in self._by_account.items():
            totals[account] = [inflow, outflow, count]
        for account, _key, _transfer, _month, _total, inflow, outflow, count, _n in self._edges:
            row = totals[account]
            row[0] += inflow
            row[1] += outflow
            row[2] += count
        return totals

    @cached_property
    def balances(self) -> dict[int, int]:
        """Each account's balance at the period's end, in hundredths of its currency."""
        end, last_month = self.period.end, self.ref.last_month
        balance = {a.id: a.opening_cents for a in self.ref.accounts}
        for account, (total, *_flows) in self._by_account.items():
            balance[account] += total
        if end == month_end(end):
            return balance
        edges = self.period.edges()
        if edges and edges[-1] == (last_month, end):  # the last edge's days: read already
            days = [(row[0], row[4]) for row in self._edges if row[3] == last_month]
        else:
            days = grouped(
                DailyRollup.objects.filter(day__range=(last_month, end)),
                {"account_id": "account_id"},
                {"total": _SUMS["total"]},
            )
        for account, total in days:
            balance[account] += total
        return balance
