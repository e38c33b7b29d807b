"""Flows of multi-currency tenants read from the converted rollups (``ledger.converted``).

The period's income and expenses are summed in SQL per category and per month
(``converted_totals``). Budgets read whole months of their categories: each target's own
currency from the monthly rollups (rate 1), every other currency already converted, as an
:class:`Interval` per category and month. So a period reads a bounded number of rows
whatever its length and converts nothing per day. Rounding stays exact: an interval that
straddles a rounding tie is recomputed exactly per day (``converted_totals.exact_sum``).

Used only while the tenant's ``ConvertedState`` covers its base and budget currencies;
otherwise :class:`~findash.dashboard.flows.Flows` converts per day as before.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from functools import cached_property, partial
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connection
from django.db.models import DateField, Q, QuerySet, Value

from findash.common.fx_rates import Interval, from_limbs
from findash.common.months import month_end
from findash.dashboard.converted_totals import LIMBS, converted_period_totals, exact_sum
from findash.dashboard.flow_totals import Factor, FlowTotals
from findash.dashboard.flows import Flow, Flows
from findash.dashboard.last_day import last_flow_day, month_less_after
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import cents, grouped, rollup_sums
from findash.ledger.converted_sums import decode_missing
from findash.ledger.models import ConvertedFlowRollup, ConvertedState, DailyRollup, MonthlyRollup

_FIELDS = ("total", "inflow", "outflow")
_SUMS = rollup_sums()


def _signed(sign: int) -> dict[str, Any]:
    """A flow rollup row's sign and figures in hundredths."""
    return {"sign": Value(sign), "t": cents("total"), "i": cents("inflow"), "o": cents("outflow")}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


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


class ConvertedFlows(Flows):
    """``Flows`` whose other currencies come converted: the period's totals summed in SQL
    (``period_totals``), the budgets' whole months as they are stored (``flows_for``)."""

    @cached_property
    def _budget_keys(self) -> dict[str, set[int]]:
        """Per budget currency, the categories its budgets count (``budget_statuses``)."""
        ref = self.ref
        found: dict[str, set[int]] = {}
        for budget in ref.budgets:
            keys = ref.descendants(budget.category_id) & ref.expense_ids
            found[budget.currency] = found.get(budget.currency, set()) | keys
        return found

    @cached_property
    def _months(self) -> Q:
        return Q(month__range=(self.ref.budget_history_start, self.ref.last_month))

    @cached_property
    def _monthly(self) -> list[Flow]:
        """The budgets' whole months in each budget's own currency (rate 1): the other
        currencies come converted (``_converted``)."""
        chosen = Q(pk__in=[])
        for currency, keys in self._budget_keys.items():
            chosen |= Q(account_id__in=self.ref.accounts_in(currency), category_key__in=keys)
        # Per account, not joined to the accounts for their currency: PostgreSQL planned that
        # join as a nested loop over every tenant's accounts.
        rows = grouped(
            MonthlyRollup.objects.filter(chosen, self._months, is_transfer=False),
            {"account_id": "account_id", "key": "category_key", "month": "month"},
            _SUMS,
        )
        currency_of = {a.id: a.currency for a in self.ref.accounts}
        found: dict[tuple[str, int, date], list[int]] = {}
        for account, key, month, *sums in rows:
            row = found.setdefault((currency_of[account], key, month), [0, 0, 0, 0, 0])
            for index, value in enumerate(sums):
                row[index] += value
        return [Flow(cur, key, m, m, *sums) for (cur, key, m), sums in found.items() if any(sums)]

    @cached_property
    def _converted(self) -> list[tuple[Any, ...]]:
        """The budgets' whole months in every other currency, converted into each budget's."""
        chosen = Q(pk__in=[])
        for currency, keys in self._budget_keys.items():
            chosen |= Q(target=currency, category_key__in=keys)
        start = (self.ref.budget_history_start, self.ref.last_month)
        return list(
            ConvertedFlowRollup.objects.filter(chosen, start__range=start, months=1)
            .order_by()
            .values_list(
                "target", "start", "category_key", *LIMBS, "count", "inflow_count", "missing"
            )
        )

    @cached_property
    def _edges(self) -> list[tuple[Any, ...]]:
        """``Flows._edges``, the last edge read as its month less the days after the period
        when nothing is dated after it (``last_day``): rows signed, summed in SQL."""
        less_after = month_less_after(self.period, last_flow_day(self.ref.tenant.pk))
        if less_after is None:
            return Flows._edges.func(self)  # type: ignore[attr-defined]
        edges, (month_first, after, last) = self.period.edges(), less_after
        columns = ("account_id", "category_key", "is_transfer", "month", "sign", "t", "i", "o")
        parts: list[QuerySet[Any]] = [
            MonthlyRollup.objects.filter(month=month_first).annotate(**_signed(1)),
            DailyRollup.objects.filter(day__range=(after, last)).annotate(
                month=Value(month_first, output_field=DateField()), **_signed(-1)
            ),
        ]
        if len(edges) > 1:  # the first edge, as its days
            parts.append(
                DailyRollup.objects.filter(day__range=edges[0]).annotate(
                    month=Value(edges[0][0].replace(day=1), output_field=DateField()),
                    **_signed(1),
                )
            )
        names = ", ".join(f'"{c}"' for c in (*columns, "count", "inflow_count"))
        selects: list[str] = []
        params: list[Any] = []
        for index, part in enumerate(parts):
            sql, part_params = part.values_list(
                *columns, "count", "inflow_count"
            ).query.sql_with_params()
            selects.append(f"SELECT {names} FROM ({sql}) AS p{index}")  # noqa: S608  # nosec B608
            params.extend(part_params)
        sums = ", ".join(f'SUM("sign" * "{c}")' for c in ("t", "i", "o", "count", "inflow_count"))
        query = (
            f'SELECT "account_id", "category_key", "is_transfer", "month", {sums} '  # noqa: S608  # nosec B608
            f"FROM ({' UNION ALL '.join(selects)}) AS edge "
            'GROUP BY "account_id", "category_key", "is_transfer", "month"'
        )
        with connection.cursor() as cursor:
            # Each part is a scoped queryset's own SQL; every value is a bound parameter.
            cursor.execute(query, params)  # nosec B608
            return [
                (account, key, bool(transfer), _day(month), *(int(v) for v in sums_))
                for account, key, transfer, month, *sums_ in cursor.fetchall()
            ]

    def _flow(self, target: str, month: date, days: tuple[date, date], key: int, row: Any) -> Flow:
        """A flow of sums already converted into ``target`` (``row``: limbs, counts). The
        dashboard reads a category's total, and the inflow and outflow of uncategorized
        flows (``flow_totals.classify``): only those become intervals."""
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

    def _flows_into(self, target: str) -> list[Flow]:
        found: list[Flow] = []
        for cur, month, key, *row in self._converted:
            if cur != target:
                continue
            found.append(self._flow(target, month, (month, month_end(month)), key, row))
            if row[14]:
                found += warning_flows(row[14], key, month)
        return found

    def _exact(self, target: str, days: tuple[date, date], key: int, field: str) -> Fraction:
        return exact_sum(self.ref, target, days, Q(category_key=key), field)

    def period_totals(self, factor: Factor) -> FlowTotals:
        """``Dashboard.flow_totals``, summed per category and per month in SQL. The edge days
        per account serve when the balances read them already (the complete dashboard);
        alone (``/transactions``, ``/summary``'s income) the base currency's are summed with
        its whole months instead, one read fewer."""
        edges = self.__dict__.get("_edges")  # the cached_property's value, once computed
        return converted_period_totals(self.ref, edges, factor)

    @cached_property
    def period_flows(self) -> list[Flow]:
        """Not kept: ``_monthly`` and ``_converted`` hold the budgets' categories only."""
        raise NotImplementedError("converted flows are totalled by period_totals")

    def flows_for(self, currency: str) -> list[Flow]:
        """Whole months' flows (for budgets in ``currency``), converted into it."""
        found = [f for f in self._monthly if f.currency == currency]
        return found + self._flows_into(currency)
