"""A multi-currency period's income and expenses, summed in SQL per category and per month.

``Dashboard.flow_totals`` needs the period's flows twice: per category over the whole
period, and per month as income and expenses. So instead of one row per category and
month (~2,000 for ten years), SQL sums each source twice in one statement: per category,
and per month and class (income categories, expense categories, the rest: uncategorized
flows, whose inflow is income and outflow an expense). Python gets about
``categories + 3 x months`` rows per source:

- the base currency: the monthly rollups of the period's whole months (accounts in the
  base currency) and the edge days, those already read per account (``Flows._edges``)
  when the balances read them, else in the same statement;
- every other currency, already converted into the base (``ConvertedFlowRollup``): whole
  months as stored and the edge days, as limbs, which SQL sums exactly (a group holds at
  most a few hundred rows of limbs below ``10**15``: far from 64 bits on SQLite).

A last partial month with nothing dated after the period may be read as its month less
the days after the period (``last_day``): each row carries a sign, and a subtracted
interval ``[low, low + inexact]`` adds ``[-low - inexact, -low]``. An interval that
straddles a rounding tie is recomputed exactly per day (``exact_sum``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from functools import cached_property, partial
from typing import Any

from django.db import connection
from django.db.models import Case, DateField, F, Q, QuerySet, Value, When

from findash.common.fx_rates import Interval, from_limbs
from findash.common.months import month_end
from findash.dashboard.flow_totals import EXPENSE, INCOME, Factor, FlowTotals, classify
from findash.dashboard.flows import Flow
from findash.dashboard.last_day import last_flow_day, month_less_after
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import cents, grouped, in_ranges, rollup_sums
from findash.ledger.converted_sums import decode_missing
from findash.ledger.models import ConvertedFlowRollup, DailyRollup, MonthlyRollup

_FIELDS = ("total", "inflow", "outflow")
LIMBS = [f"{name}_{part}" for name in _FIELDS for part in ("hi", "mid", "lo", "inexact")]
_BY_CATEGORY = 0  # the class column of a per-category row
_INCOME_CLASS, _EXPENSE_CLASS, _OTHER_CLASS = 1, 2, 3


# What each source's rows hold besides (category_key, month, kind_class, sign), and how
# they are summed: times ``sign`` (-1 for the days after the period subtracted from their
# month); a subtracted interval [low, low + inexact] adds [-low - inexact, -low].
_BASE_COLUMNS = ("t", "i", "o", "count", "inflow_count")
_BASE_SUMS = [f'SUM("sign" * "{column}")' for column in _BASE_COLUMNS]
_CONVERTED_COLUMNS = (*LIMBS, "count", "inflow_count", "missing_row")
_CONVERTED_SUMS = [
    *(f'SUM("sign" * "{name}_{part}")' for name in _FIELDS for part in ("hi", "mid", "lo")),
    *(f'SUM("{name}_inexact")' for name in _FIELDS),
    *(f'SUM(CASE WHEN "sign" < 0 THEN "{name}_inexact" ELSE 0 END)' for name in _FIELDS),
    'SUM("sign" * "count")',
    'SUM("sign" * "inflow_count")',
    'SUM("missing_row")',
]
_CONVERTED_NAMES = (
    *(f"{name}_{part}" for name in _FIELDS for part in ("hi", "mid", "lo")),
    *(f"{name}_inexact" for name in _FIELDS),
    *(f"{name}_lowered" for name in _FIELDS),
    "count",
    "inflow_count",
    "missing_row",
)


def _base_row(sign: int) -> dict[str, Any]:
    """A base-currency rollup row's figures in hundredths, and its sign."""
    return {
        "sign": Value(sign),
        "t": cents("total"),
        "i": cents("inflow"),
        "o": cents("outflow"),
    }


def exact_sum(
    ref: ReferenceData, target: str, days: tuple[date, date], keys: Q, field: str
) -> Fraction:
    """The exact converted sum of ``field`` over ``days`` of the categories ``keys`` selects,
    per day (rarely needed: only for an interval that straddles a rounding tie)."""
    sums = rollup_sums()
    rows = grouped(
        DailyRollup.objects.filter(keys, day__range=days, is_transfer=False).exclude(
            account__currency=target
        ),
        {"currency": "account__currency", "day": "day"},
        {field: sums[field]},
    )
    found = Fraction(0)
    for currency, day, amount in rows:
        factor = ref.rates.factor(currency, target, day)
        if factor is not None:
            found += Fraction(amount, 100) * factor
    return found


class _Classes:
    """The period's categories by class, as SQL (``kind_class``) and as conditions."""

    def __init__(self, ref: ReferenceData) -> None:
        categories = ref.categories.values()
        self.income = sorted(c.id for c in categories if c.kind == INCOME)
        self.expense = sorted(c.id for c in categories if c.kind != INCOME)

    def case(self) -> Case:
        return Case(
            When(category_key__in=self.income, then=Value(_INCOME_CLASS)),
            When(category_key__in=self.expense, then=Value(_EXPENSE_CLASS)),
            default=Value(_OTHER_CLASS),
        )

    def keys(self, kind_class: int) -> Q:
        if kind_class == _INCOME_CLASS:
            return Q(category_key__in=self.income)
        if kind_class == _EXPENSE_CLASS:
            return Q(category_key__in=self.expense)
        return ~Q(category_key__in=self.income + self.expense)


def _twice(
    parts: list[QuerySet[Any]], columns: tuple[str, ...], sums: list[str]
) -> list[tuple[Any, ...]]:
    """The rows (category_key, month, kind_class, sign, *columns) of every part, summed
    (``sums``) per category and per (month, kind_class), in one statement."""
    if not parts:
        return []
    selected = ["category_key", "month", "kind_class", "sign", *columns]
    names = ", ".join(f'"{column}"' for column in selected)
    selects: list[str] = []
    params: list[Any] = []
    for index, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        selects.append(f"SELECT {names} FROM ({sql}) AS p{index}")  # noqa: S608  # nosec B608
        params.extend(part_params)
    added = ", ".join(sums)
    # Each part is a scoped queryset's own SQL; every value is a bound parameter. The rows
    # are read once (a CTE used twice is materialized) and grouped twice.
    query = (
        f'WITH "period_rows" AS ({" UNION ALL ".join(selects)}) '  # noqa: S608  # nosec B608
        f'SELECT "category_key", NULL, {_BY_CATEGORY}, {added} FROM "period_rows" '
        f'GROUP BY "category_key" UNION ALL '
        f'SELECT 0, "month", "kind_class", {added} FROM "period_rows" '
        f'GROUP BY "month", "kind_class"'
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)  # nosec B608
        return cursor.fetchall()


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


class _Totals:
    def __init__(
        self, ref: ReferenceData, edges: Iterable[tuple[Any, ...]] | None, factor: Factor
    ) -> None:
        self.ref, self.base, self.factor = ref, ref.base, factor
        self.period = ref.period
        self.classes = _Classes(ref)
        self.totals = FlowTotals()
        self._base(edges)
        self._converted()

    # --- the base currency (hundredths) ---------------------------------

    def _base(self, edges: Iterable[tuple[Any, ...]] | None) -> None:
        by_key: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        by_month: dict[tuple[date, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        accounts = self.ref.accounts_in(self.base)
        parts = self._base_parts(accounts, edges)
        for key, month, kind_class, *values in _twice(parts, _BASE_COLUMNS, _BASE_SUMS):
            if kind_class == _BY_CATEGORY:
                by_key[key] = [int(value) for value in values]
            else:
                by_month[(_day(month), kind_class)] = [int(value) for value in values[:3]]
        in_base = set(accounts)
        kind_class = self._class_of
        for account, key, transfer, month, *sums in edges or ():
            if transfer or account not in in_base:
                continue
            for index, value in enumerate(sums):
                by_key[key][index] += value
            row = by_month[(month, kind_class(key))]
            for index in range(3):
                row[index] += sums[index]
        for key, (total, inflow, outflow, count, inflow_count) in by_key.items():
            self._category(
                Flow(
                    self.base,
                    key,
                    self.period.start,
                    self.period.start,
                    total,
                    inflow,
                    outflow,
                    count,
                    inflow_count,
                )
            )
        for (month, kind), (total, inflow, outflow) in by_month.items():
            self._month(month, kind, total, inflow, outflow)

    def _base_parts(
        self, accounts: list[int], edges: Iterable[tuple[Any, ...]] | None
    ) -> list[QuerySet[Any]]:
        """The base currency's whole months, and its edge days unless ``edges`` holds them
        (the last edge maybe as its month less the days after the period, subtracted)."""
        full, edge_days = self.period.full_months(), self.period.edges()
        less_after = None if edges is not None else self._less_after
        months = Q(month__range=(full[0], full[-1])) if full else Q(pk__in=[])
        if less_after is not None:
            months |= Q(month=less_after[0])
        parts: list[QuerySet[Any]] = []
        if full or less_after is not None:
            rows = MonthlyRollup.objects.filter(months)
            parts.append(rows.annotate(kind_class=self.classes.case(), **_base_row(1)))
        read = edge_days[:-1] if less_after is not None else edge_days
        if read and edges is None:
            month = Case(  # at most two edges, each inside one month
                When(day__lte=edge_days[0][1], then=Value(edge_days[0][0].replace(day=1))),
                default=Value(edge_days[-1][0].replace(day=1)),
                output_field=DateField(),
            )
            days = DailyRollup.objects.filter(in_ranges("day", read))
            parts.append(days.annotate(kind_class=self.classes.case(), month=month, **_base_row(1)))
        if less_after is not None:
            month_first, after, last = less_after
            days = DailyRollup.objects.filter(day__range=(after, last))
            parts.append(
                days.annotate(
                    kind_class=self.classes.case(),
                    month=Value(month_first, output_field=DateField()),
                    **_base_row(-1),
                )
            )
        if not accounts:
            return []
        return [
            part.filter(is_transfer=False, account_id__in=accounts).values_list(
                "category_key", "month", "kind_class", "sign", *_BASE_COLUMNS
            )
            for part in parts
        ]

    @cached_property
    def _less_after(self) -> tuple[date, date, date] | None:
        return month_less_after(self.period, last_flow_day(self.ref.tenant.pk))

    def _class_of(self, key: int) -> int:
        category = self.ref.categories.get(key)
        if category is None:
            return _OTHER_CLASS
        return _INCOME_CLASS if category.kind == INCOME else _EXPENSE_CLASS

    # --- every other currency, converted (intervals) --------------------

    def _converted(self) -> None:
        period, edges = self.period, self.period.edges()
        full, less_after = period.full_months(), self._less_after
        read = edges[:-1] if less_after is not None else edges
        chosen = in_ranges("start", read) & Q(months=0)
        if full:
            chosen |= Q(months=1, start__range=(full[0], full[-1]))
        after = Q(pk__in=[])
        if less_after is not None:
            month_first, first_after, last = less_after
            after = Q(months=0, start__range=(first_after, last))
            chosen |= Q(months=1, start=month_first) | after
        month: Any = F("start")
        if edges:  # at most two edges, each inside one month
            month = Case(
                When(months=1, then=F("start")),
                When(start__lte=edges[0][1], then=Value(edges[0][0].replace(day=1))),
                default=Value(edges[-1][0].replace(day=1)),
                output_field=DateField(),
            )
        rows = ConvertedFlowRollup.objects.filter(chosen, target=self.base)
        sign = Case(When(after, then=Value(-1)), default=Value(1)) if less_after else Value(1)
        inner = rows.annotate(
            kind_class=self.classes.case(),
            month=month,
            sign=sign,
            missing_row=Case(When(missing="", then=Value(0)), default=Value(1)),
        ).values_list("category_key", "month", "kind_class", "sign", *_CONVERTED_COLUMNS)
        missing = False
        for key, day, kind_class, *sums in _twice([inner], _CONVERTED_COLUMNS, _CONVERTED_SUMS):
            values = dict(zip(_CONVERTED_NAMES, (int(value) for value in sums), strict=True))
            if kind_class == _BY_CATEGORY:
                self._category(self._converted_flow(key, values))
                missing = missing or bool(values["missing_row"])
            else:
                self._converted_month(_day(day), kind_class, values)
        if missing:  # rare: read those rows again for the missing-rate warnings
            for text in rows.exclude(missing="").values_list("missing", flat=True):
                for currency, day in decode_missing(text).items():
                    if day in period:  # (a month's first day without a rate may come after it)
                        self.factor(currency, self.base, day)  # None: the warning

    def _interval(
        self, values: dict[str, int], field: str, days: tuple[date, date], keys: Q
    ) -> Interval:
        low = from_limbs(*(values[f"{field}_{part}"] for part in ("hi", "mid", "lo")))
        exact = partial(exact_sum, self.ref, self.base, days, keys, field)
        return Interval(low - values[f"{field}_lowered"], values[f"{field}_inexact"], exact)

    def _converted_flow(self, key: int, values: dict[str, int]) -> Flow:
        """A category's converted sums over the period, as a flow in the base currency: only
        what ``classify`` reads becomes an interval."""
        days, keys = (self.period.start, self.period.end), Q(category_key=key)
        fields = _FIELDS[:1] if key in self.ref.categories else _FIELDS[1:]
        sums: dict[str, Interval | int] = dict.fromkeys(_FIELDS, 0)
        for field in fields:
            sums[field] = self._interval(values, field, days, keys)
        start = self.period.start
        counts = {"count": values["count"], "inflow_count": values["inflow_count"]}
        return Flow(self.base, key, start, start, **sums, **counts)  # type: ignore[arg-type]

    def _converted_month(self, month: date, kind_class: int, limbs: dict[str, int]) -> None:
        days = (max(month, self.period.start), min(month_end(month), self.period.end))
        keys = self.classes.keys(kind_class)
        if kind_class == _OTHER_CLASS:
            inflow = self._interval(limbs, "inflow", days, keys)
            outflow = self._interval(limbs, "outflow", days, keys)
            self._month(month, kind_class, 0, inflow, outflow)
        else:
            self._month(month, kind_class, self._interval(limbs, "total", days, keys), 0, 0)

    # --- into the totals -------------------------------------------------

    def _category(self, flow: Flow) -> None:
        self.totals.count += flow.count
        for category_id, kind, amount, count in classify(self.ref.categories, flow):
            self.totals.add_category(category_id, kind, amount, count)

    def _month(self, month: date, kind_class: int, total: Any, inflow: Any, outflow: Any) -> None:
        add = self.totals.add_kind
        if kind_class == _INCOME_CLASS:
            add(month, INCOME, total)
        elif kind_class == _EXPENSE_CLASS:
            add(month, EXPENSE, -total)
        else:
            add(month, INCOME, inflow)
            add(month, EXPENSE, outflow)


def converted_period_totals(
    ref: ReferenceData, edges: Iterable[tuple[Any, ...]] | None, factor: Factor
) -> FlowTotals:
    """``Dashboard.flow_totals`` of a tenant with converted rollups. ``edges``: the period's
    edge days per account, category, transfer flag and month (``Flows._edges``) when they
    were read already, else None (then the base currency's are summed in SQL too)."""
    return _Totals(ref, edges, factor).totals
