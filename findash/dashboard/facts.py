"""What the dashboard reads, loaded once per request with a fixed number of queries.

Full months come from the monthly rollups; only the partial months at the
period's edges come from raw transactions, so the cost does not grow with the
length of a tenant's history.

Conversion and rollups: a month's rollup sums can be converted with one rate
only when no rate for that currency pair is dated inside the month (days 2 to
the last). Such "split" (currency, month) pairs are read from the raw
transactions instead, grouped per day, and converted per day. The result is
exactly ``Σ amount * rate(day)`` either way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Sum, Value, When

from findash.budgets.models import Budget
from findash.dashboard.fx import ONE, RateBook

from findash.dashboard.periods import Period, month_end, month_start, next_month
from findash.ledger.aggregates import (
    category_key,
    count_where,
    grouped,
    is_transfer,
    sum_cents,
)
from findash.ledger.models import (
    Account,
    Category,
    ExchangeRate,
    MonthlyRollup,
    PayeeMonthlyRollup,
    Transaction,
)
from findash.tenancy.models import Tenant

_POSITIVE = Q(amount__gt=0)


def to_cents(value: Decimal) -> int:
    return int(value.scaleb(2))


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    type: str
    currency: str
    opening_cents: int

    @property
    def is_liability(self) -> bool:
        return self.type in Account.LIABILITY_TYPES


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class Flow:
    """Sums of one account's transactions of one category and transfer flag.

    ``day`` is the day whose rate converts them: the transaction date for raw
    rows, the first of the month for rollup rows (whose rate is constant).
    """

    account_id: int
    currency: str
    category_key: int  # category id, 0 when uncategorized
    is_transfer: bool
    month: date
    day: date
    total: int  # hundredths
    inflow: int
    outflow: int  # positive
    count: int
    inflow_count: int


@dataclass(frozen=True)
class PayeeFlow:
    payee: str
    currency: str
    day: date
    total: int
    count: int


@dataclass(frozen=True)
class Outflow:
    id: int
    account_id: int
    date: date
    amount: Decimal
    currency: str
    category_id: int | None
    description: str
    payee: str
    transfer_id: object
    created_at: datetime


def _month_ranges(months: list[date]) -> list[tuple[date, date]]:
    """Contiguous runs of months as inclusive date ranges."""
    ranges: list[tuple[date, date]] = []
    for month in sorted(months):
        if ranges and next_month(ranges[-1][1]) == month:
            ranges[-1] = (ranges[-1][0], month_end(month))
        else:
            ranges.append((month, month_end(month)))
    return ranges


def _date_filter(ranges: list[tuple[date, date]]) -> Q | None:
    condition: Q | None = None
    for first, last in ranges:
        term = Q(date__range=(first, last))
        condition = term if condition is None else condition | term
    return condition


class DashboardFacts:
    """The tenant's data for one period. Each property runs its query at most once."""

    def __init__(self, *, tenant: Tenant, period: Period) -> None:
        self.tenant = tenant
        self.period = period
        self.base = tenant.base_currency
        self.first_month = month_start(period.start)
        self.last_month = month_start(period.end)

    # --- reference data -------------------------------------------------

    @cached_property
    def accounts(self) -> list[AccountRow]:
        return [
            AccountRow(pk, name, type_, currency, to_cents(opening))
            for pk, name, type_, currency, opening in Account.objects.order_by("id").values_list(
                "id", "name", "type", "currency", "opening_balance"
            )
        ]

    @cached_property
    def account_currency(self) -> dict[int, str]:
        return {a.id: a.currency for a in self.accounts}

    @cached_property
    def categories(self) -> dict[int, CategoryRow]:
        return {
            pk: CategoryRow(pk, name, kind, parent)
            for pk, name, kind, parent in Category.objects.values_list(
                "id", "name", "kind", "parent_id"
            )
        }

    @cached_property
    def expense_keys(self) -> set[int]:
        """Category keys whose flows are expenses: expense categories and uncategorized (0)."""
        return {0} | {c.id for c in self.categories.values() if c.kind == Category.Kind.EXPENSE}

    @cached_property
    def budgets(self) -> list[Budget]:
        return list(Budget.objects.filter(start_date__lte=self.period.end).order_by("id"))

    @cached_property
    def children(self) -> dict[int | None, list[int]]:
        found: dict[int | None, list[int]] = defaultdict(list)
        for category in self.categories.values():
            found[category.parent_id].append(category.id)
        return found

    def descendants(self, category_id: int) -> set[int]:
        """The category and all categories below it."""
        children = self.children
        found, todo = set(), [category_id]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children[current])
        return found

    @cached_property
    def budget_history_start(self) -> date:
        """The first month any budget's rollover chain needs."""
        starts = [month_start(b.start_date) for b in self.budgets]
        return min([self.first_month, *starts])

    @cached_property
    def targets(self) -> set[str]:
        return {self.base} | {b.currency for b in self.budgets}

    @cached_property
    def rates(self) -> RateBook:
        currencies = self.targets | {a.currency for a in self.accounts}
        if len(currencies) == 1:
            return RateBook([])
        return RateBook(
            ExchangeRate.objects.filter(base__in=currencies, quote__in=currencies).values_list(
                "date", "base", "quote", "rate"
            )
        )

    @cached_property
    def split(self) -> set[tuple[str, date]]:
        """(currency, month) pairs whose rate changes inside the month: read from raw rows."""
        found = set()
        currencies = {a.currency for a in self.accounts}
        month = self.budget_history_start
        while month <= self.last_month:
            for currency in currencies:
                for target in self.targets:
                    if self.rates.changes_between(currency, target, month, month_end(month)):
                        found.add((currency, month))
            month = next_month(month)
        return found

    # --- flows ----------------------------------------------------------

    @cached_property
    def edge_ranges(self) -> list[tuple[date, date]]:
        """The partial months read from raw rows; the last always reaches back to its 1st."""
        start, end = self.period.start, self.period.end
        ends_month = end == month_end(end)
        if self.first_month == self.last_month:
            if start == self.first_month and ends_month:
                return []
            return [(start if ends_month else self.last_month, end)]
        ranges = []
        if start != self.first_month:
            ranges.append((start, month_end(start)))
        if not ends_month:
            ranges.append((self.last_month, end))
        return ranges

    @cached_property
    def rollup_flows(self) -> list[Flow]:
        """Non-transfer whole months from the rollups, summed per category, month and currency.

        The period's months, and before them the months the budgets' rollover chains need.
        ``account_id`` is 0: per-account figures come from :attr:`account_totals`.
        """
        in_period = Q(month__range=(self.first_month, self.last_month))
        budget_keys = set().union(*(self.descendants(b.category_id) for b in self.budgets))
        history = Q(
            month__gte=self.budget_history_start,
            month__lt=self.first_month,
            category_key__in=budget_keys,
        )
        condition = in_period | history if budget_keys else in_period
        rows = grouped(
            MonthlyRollup.objects.filter(condition, is_transfer=False),
            {"category_key": "category_key", "month": "month", "currency": "account__currency"},
            {
                "total": sum_cents("total"),
                "inflow": sum_cents("inflow"),
                "outflow": sum_cents("outflow"),
                "count": Sum("count"),
                "inflow_count": Sum("inflow_count"),
            },
        )
        return [
            Flow(0, cur, key, False, month, month, t, i, o, n, ni)
            for key, month, cur, t, i, o, n, ni in rows
            if n or t or i or o
        ]

    @cached_property
    def account_totals(self) -> dict[int, list[int]]:
        """Per account: [inflow, outflow, count] in the period, transfers included."""
        full = [m for m in self.period.months() if self.period.covers_month(m)]
        rows = grouped(
            MonthlyRollup.objects.filter(month__in=full),
            {"account_id": "account_id"},
            {
                "inflow": sum_cents("inflow"),
                "outflow": sum_cents("outflow"),
                "count": Sum("count"),
            },
        )
        totals = {a.id: [0, 0, 0] for a in self.accounts}
        for account, inflow, outflow, count in rows:
            totals[account] = [inflow, outflow, count]
        for flow in self.raw_flows:  # the edges; whole months came from the rollups
            if flow.day in self.period and not self.period.covers_month(flow.month):
                row = totals[flow.account_id]
                row[0] += flow.inflow
                row[1] += flow.outflow
                row[2] += flow.count
        return totals

    def _day_bucket(self) -> Case:
        """Group key standing for the day: the date itself for other currencies (their rate
        may change any day), but for the base currency (rate 1) just which side of the
        period's start and which month, so a partial month costs a handful of groups."""
        start, last = self.period.start, self.last_month
        if any(currency == self.base for currency, _ in self.split):
            # A budget in another currency can split base-currency months too: keep days.
            return Case(default=F("date"), output_field=DateField())
        return Case(
            When(~Q(currency=self.base), then=F("date")),
            When(date__lt=start, then=Value(last)),  # before the start: only in the end month
            When(date__lt=last, then=Value(start)),  # the start's partial month
            default=Value(max(start, last)),
            output_field=DateField(),
        )

    @cached_property
    def raw_flows(self) -> list[Flow]:
        """The edges' partial months and every split (currency, month), grouped per day."""
        condition = _date_filter(self.edge_ranges)
        by_currency: dict[str, list[date]] = defaultdict(list)
        for currency, month in self.split:
            by_currency[currency].append(month)
        for currency, months in by_currency.items():
            term = Q(currency=currency) & _date_filter(_month_ranges(months))  # type: ignore[operator]
            condition = term if condition is None else condition | term
        if condition is None:
            return []
        rows = grouped(
            Transaction.objects.filter(condition),
            {
                "account_id": "account_id",
                "key": category_key(),
                "transfer": is_transfer(),
                "day": self._day_bucket(),
            },
            {
                "total": sum_cents("amount"),
                "inflow": sum_cents("amount", _POSITIVE),
                "outflow": sum_cents("amount", Q(amount__lt=0)),
                "count": Count("id"),
                "inflow_count": count_where(_POSITIVE),
            },
        )
        currency_of = self.account_currency
        return [
            Flow(acc, currency_of[acc], key, bool(tr), month_start(day), day, t, i, -o, n, ni)
            for acc, key, tr, day, t, i, o, n, ni in rows
        ]

    @cached_property
    def period_flows(self) -> list[Flow]:
        """Every non-transfer flow dated inside the period, each transaction counted once."""
        period, split = self.period, self.split
        return [
            f
            for f in self.rollup_flows
            if period.covers_month(f.month) and (f.currency, f.month) not in split
        ] + [f for f in self.raw_flows if f.day in period and not f.is_transfer]

    @cached_property
    def whole_month_flows(self) -> list[Flow]:
        """Non-transfer flows of whole calendar months (for budgets), each counted once."""
        split = self.split
        return [f for f in self.rollup_flows if (f.currency, f.month) not in split] + [
            f for f in self.raw_flows if (f.currency, f.month) in split and not f.is_transfer
        ]

    @cached_property
    def balances(self) -> dict[int, int]:
        """Each account's balance at the period's end, in hundredths of its currency."""
        end = self.period.end
        ends_month = end == month_end(end)
        months = Q(month__lte=self.last_month) if ends_month else Q(month__lt=self.last_month)
        rows = grouped(
            MonthlyRollup.objects.filter(months),
            {"account_id": "account_id"},
            {"total": sum_cents("total")},
        )
        balance = {a.id: a.opening_cents for a in self.accounts}
        for account, total in rows:
            balance[account] += total
        if not ends_month:
            for flow in self.raw_flows:
                if flow.month == self.last_month and flow.day <= end:
                    balance[flow.account_id] += flow.total
        return balance

    # --- payees and largest outflows -----------------------------------

    @cached_property
    def payee_flows(self) -> list[PayeeFlow]:
        """Spending per payee in the period (expense categories and uncategorized outflows)."""
        period, split = self.period, self.split
        full_months = [m for m in period.months() if period.covers_month(m)]
        rows = grouped(
            PayeeMonthlyRollup.objects.filter(
                month__in=full_months, category_key__in=self.expense_keys
            ),
            {"payee": "payee", "currency": "currency", "foreign_month": self._month_if_foreign()},
            {"total": Sum("total_cents"), "count": Sum("count")},
        )
        # Base-currency rows are summed over all months (month None; their rate is 1).
        flows = [
            PayeeFlow(payee, currency, month or period.start, total, count)
            for payee, currency, month, total, count in rows
            if (currency, month) not in split
        ]
        return flows + self._raw_payee_flows(full_months)

    def _month_if_foreign(self) -> Case:
        if any(currency == self.base for currency, _ in self.split):
            return Case(default=F("month"), output_field=DateField())
        return Case(
            When(currency=self.base, then=Value(None)),
            default=F("month"),
            output_field=DateField(),
        )

    def _payee_day(self) -> Case:
        """Raw payee rows: per day, except base-currency rows (rate 1) when never split."""
        if any(currency == self.base for currency, _ in self.split):
            return Case(default=F("date"), output_field=DateField())
        return Case(
            When(currency=self.base, then=Value(self.period.start)),
            default=F("date"),
            output_field=DateField(),
        )

    def _raw_payee_flows(self, full_months: list[date]) -> list[PayeeFlow]:
        period = self.period
        ranges = [(max(a, period.start), min(b, period.end)) for a, b in self.edge_ranges]
        condition = _date_filter([(a, b) for a, b in ranges if a <= b])
        split_months: dict[str, list[date]] = defaultdict(list)
        for currency, month in self.split:
            if month in full_months:
                split_months[currency].append(month)
        for currency, months in split_months.items():
            term = Q(currency=currency) & _date_filter(_month_ranges(months))  # type: ignore[operator]
            condition = term if condition is None else condition | term
        if condition is None:
            return []
        spending = (
            Transaction.objects.filter(condition, transfer_id__isnull=True)
            .exclude(payee="")
            .filter(
                Q(category_id__in=self.expense_keys - {0})
                | Q(category_id__isnull=True, amount__lte=0)
            )
        )
        rows = grouped(
            spending,
            {
                "payee": "payee",
                "currency": "currency",
                "day": self._payee_day(),
            },
            {"total": sum_cents("amount"), "count": Count("id")},
        )
        return [PayeeFlow(*row) for row in rows]

    @cached_property
    def largest_outflows(self) -> list[tuple[Fraction, Outflow]]:
        """The period's non-transfer outflows largest in base currency, most negative first.

        Walks the (tenant, currency, amount) index per currency: the 11 most negative
        amounts, then, only when a rate change could let an unseen row of that currency
        tie or beat the 10th, every row of it beyond the bound that could.
        """
        period, base = self.period, self.base
        fetched: dict[str, list[Outflow]] = {}
        bounds: dict[str, tuple[QuerySet[Any], Fraction]] = {}
        for currency in sorted({a.currency for a in self.accounts}):
            first = self.rates.first_day(currency, base)
            if first is None or max(first, period.start) > period.end:
                continue
            start = max(first, period.start)
            # The date test sits in a CASE so that no planner is tempted by the date index:
            # the walk must follow the partial index of non-transfer outflows
            # (tenant, currency, amount) WHERE transfer_id IS NULL (dashboard migration 0003).
            rows = (
                Transaction.objects.alias(
                    in_period=Case(
                        When(date__range=(start, period.end), then=Value(1)),
                        default=Value(0),
                    )
                )
                .filter(currency=currency, transfer_id__isnull=True, in_period=1)
                .order_by("amount", "id")
            )
            fetched[currency] = [
                Outflow(*r)
                for r in rows.filter(amount__lt=0).values_list(*_OUTFLOW_FIELDS)[: LARGEST + 1]
            ]
            bounds[currency] = (
                rows,
                self.rates.max_factor(currency, base, start, period.end) or ONE,
            )
        ranked = self._ranked(fetched)
        if len(ranked) >= LARGEST:
            tenth = ranked[LARGEST - 1][0]
            for currency, seen in list(fetched.items()):
                queryset, factor = bounds[currency]
                if len(seen) > LARGEST and Fraction(seen[-1].amount) * factor <= tenth:
                    # One range on amount only: SQLite would walk the wider of two.
                    bound = Decimal(math.floor(tenth * 100 / factor)).scaleb(-2)
                    fetched[currency] = [
                        Outflow(*r)
                        for r in queryset.filter(amount__lte=bound).values_list(*_OUTFLOW_FIELDS)
                    ]
            ranked = self._ranked(fetched)
        return ranked[:LARGEST]

    def _ranked(self, fetched: dict[str, list[Outflow]]) -> list[tuple[Fraction, Outflow]]:
        ranked = []
        for rows in fetched.values():
            for row in rows:
                factor = self.rates.factor(row.currency, self.base, row.date)
                if factor is not None:
                    ranked.append((Fraction(row.amount) * factor, row))
        ranked.sort(key=lambda item: (item[0], item[1].id))
        return ranked


LARGEST = 10
_OUTFLOW_FIELDS = (
    "id",
    "account_id",
    "date",
    "amount",
    "currency",
    "category_id",
    "description",
    "payee",
    "transfer_id",
    "created_at",
)
