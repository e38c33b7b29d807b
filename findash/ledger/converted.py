"""Converted rollups (``findash.ledger.converted_models``), kept in each write's transaction.

A write never adjusts a converted sum: it recomputes the affected (tenant, month) rows
from the daily rollups and the rates, which is simple and exact. Transaction writes
recompute their months (payee rows only for their payees), rate writes the months from
the rate's date until the pair's next rate, and a new target (base or budget currency)
rebuilds the tenant. On PostgreSQL a transaction-scoped advisory lock per tenant orders
concurrent recomputations: each reads, under the lock, everything committed before it.

Tenants whose converted rows are not built (no ``ConvertedState``: single-currency
tenants, and tenants from before this table until ``manage.py rebuild_rollups``) pay one
query per write and are read per day, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Max, Q, Sum

from findash.common.fx_rates import RateBook, floor_term, from_limbs, to_limbs
from findash.common.months import month_end, month_start
from findash.ledger.aggregates import grouped, sum_cents
from findash.ledger.models import (
    Account,
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    ConvertedState,
    DailyRollup,
    ExchangeRate,
    MonthlyRollup,
    PayeeDailyRollup,
)
from findash.ledger.payee_spans import spans_containing
from findash.tenancy.scoping import current_tenant

_LOCK_CLASS = 0x4658  # "FX": the advisory lock's first key; the tenant id is the second
_FLOW_SUMS = {
    "total": sum_cents("total"),
    "inflow": sum_cents("inflow"),
    "outflow": sum_cents("outflow"),
    "count": Sum("count"),
    "inflow_count": Sum("inflow_count"),
}
_MANY_PAYEES = 500  # beyond this many, a write recomputes every payee of its months
_BATCH = 2000


def encode_missing(missing: dict[str, date]) -> str:
    return ",".join(f"{cur}:{day.isoformat()}" for cur, day in sorted(missing.items()))


def decode_missing(text: str) -> dict[str, date]:
    found = {}
    for part in filter(None, text.split(",")):
        cur, day = part.split(":")
        found[cur] = date.fromisoformat(day)
    return found


def _merge_missing(into: dict[str, date], other: dict[str, date]) -> None:
    for cur, day in other.items():
        if cur not in into or day < into[cur]:
            into[cur] = day


def _lock(tenant_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, tenant_id])


def _month_ranges(months: Iterable[date], field: str) -> Q:
    found = Q(pk__in=[])
    for month in sorted(set(months)):
        found |= Q(**{f"{field}__range": (month, month_end(month))})
    return found


def rate_book(months: set[date]) -> RateBook:
    """Every rate that applies on a day of ``months``: those dated inside their span and,
    per pair, the last one before it."""
    first, last = min(months), month_end(max(months))
    fields = ("date", "base", "quote", "rate")
    rows = list(ExchangeRate.objects.filter(date__range=(first, last)).values_list(*fields))
    prior = Q(pk__in=[])
    for base, quote, day in (
        ExchangeRate.objects.filter(date__lt=first)
        .values("base", "quote")
        .annotate(day=Max("date"))
        .values_list("base", "quote", "day")
    ):
        prior |= Q(base=base, quote=quote, date=day)
    rows += list(ExchangeRate.objects.filter(prior).values_list(*fields))
    return RateBook(rows)


class _Sum:
    """One converted sum as an interval (see ``converted_models``)."""

    __slots__ = ("inexact", "low")

    def __init__(self) -> None:
        self.low = 0
        self.inexact = 0

    def add(self, cents: int, factor: Any) -> None:
        low, inexact = floor_term(cents, factor)
        self.low += low
        self.inexact += inexact


class _FlowRow:
    __slots__ = ("count", "inflow", "inflow_count", "missing", "outflow", "total")

    def __init__(self) -> None:
        self.total, self.inflow, self.outflow = _Sum(), _Sum(), _Sum()
        self.count = self.inflow_count = 0
        self.missing: dict[str, date] = {}


class _PayeeRow:
    __slots__ = ("count", "missing", "total")

    def __init__(self) -> None:
        self.total = _Sum()
        self.count = 0
        self.missing: dict[str, date] = {}


def _flow_sums(
    months: set[date], targets: set[str], book: RateBook
) -> dict[tuple[str, int, date, int], _FlowRow]:
    """(target, 0 or 1, day or month, category_key) -> converted sums."""
    rows = grouped(
        DailyRollup.objects.filter(_month_ranges(months, "day"), is_transfer=False),
        {"day": "day", "currency": "account__currency", "key": "category_key"},
        _FLOW_SUMS,
    )
    found: dict[tuple[str, int, date, int], _FlowRow] = defaultdict(_FlowRow)
    for day, currency, key, total, inflow, outflow, count, inflow_count in rows:
        if not (total or inflow or outflow or count):
            continue
        for target in targets - {currency}:
            factor = book.factor(currency, target, day)
            for row in (found[(target, 0, day, key)], found[(target, 1, month_start(day), key)]):
                row.count += count
                row.inflow_count += inflow_count
                if factor is None:
                    _merge_missing(row.missing, {currency: day})
                    continue
                row.total.add(total, factor)
                row.inflow.add(inflow, factor)
                row.outflow.add(outflow, factor)
    return found


def _flow_model(
    tenant_id: int, key: tuple[str, int, date, int], row: _FlowRow
) -> ConvertedFlowRollup:
    target, months, start, category_key = key
    sums: dict[str, int] = {}
    for name, part in (("total", row.total), ("inflow", row.inflow), ("outflow", row.outflow)):
        sums[f"{name}_hi"], sums[f"{name}_mid"], sums[f"{name}_lo"] = to_limbs(part.low)
        sums[f"{name}_inexact"] = part.inexact
    return ConvertedFlowRollup(
        tenant_id=tenant_id,
        target=target,
        months=months,
        start=start,
        category_key=category_key,
        count=row.count,
        inflow_count=row.inflow_count,
        missing=encode_missing(row.missing),
        **sums,
    )


def _payee_sums(
    months: set[date], payees: set[str] | None, base: str, book: RateBook
) -> dict[tuple[int, date, str], _PayeeRow]:
    """(0 or 1, day or month, payee) -> converted spending in currencies but the base."""
    daily = PayeeDailyRollup.objects.filter(_month_ranges(months, "day")).exclude(currency=base)
    if payees is not None:
        daily = daily.filter(payee__in=sorted(payees))
    found: dict[tuple[int, date, str], _PayeeRow] = defaultdict(_PayeeRow)
    for day, currency, payee, total, count in daily.values_list(
        "day", "currency", "payee", "total_cents", "count"
    ).iterator(chunk_size=_BATCH):
        if not (total or count):
            continue
        factor = book.factor(currency, base, day)
        for row in (found[(0, day, payee)], found[(1, month_start(day), payee)]):
            row.count += count
            if factor is None:
                _merge_missing(row.missing, {currency: day})
            else:
                row.total.add(total, factor)
    return found


def span_sums(
    monthly: Iterable[tuple[date, str, int, int, int, str]], spans: set[tuple[date, int]]
) -> dict[tuple[int, date, str], _PayeeRow]:
    """Monthly (month, payee, low, inexact, count, missing) added up per span."""
    sums: dict[tuple[int, date, str], _PayeeRow] = defaultdict(_PayeeRow)
    for start, payee, low, inexact, count, missing in monthly:
        for span_start, size in spans_containing(start):
            if (span_start, size) not in spans:
                continue
            row = sums[(size, span_start, payee)]
            row.total.low += low
            row.total.inexact += inexact
            row.count += count
            _merge_missing(row.missing, decode_missing(missing))
    return sums


def _payee_model(
    tenant_id: int, base: str, key: tuple[int, date, str], row: _PayeeRow
) -> ConvertedPayeeRollup:
    months, start, payee = key
    hi, mid, lo = to_limbs(row.total.low)
    return ConvertedPayeeRollup(
        tenant_id=tenant_id,
        target=base,
        months=months,
        start=start,
        payee=payee,
        hi=hi,
        mid=mid,
        lo=lo,
        inexact=row.total.inexact,
        count=row.count,
        missing=encode_missing(row.missing),
    )


def _in_months(months: set[date]) -> Q:
    """Rows of these months: the months' own rows and their days' rows."""
    return Q(months=1, start__in=sorted(months)) | Q(months=0) & _month_ranges(months, "start")


def _refresh_payees(
    tenant_id: int, months: set[date], payees: set[str] | None, base: str, book: RateBook
) -> None:
    """Recompute the base-currency payee rows of ``months`` (their days, the months and
    the spans holding them) for ``payees`` (None: all)."""
    chosen = Q() if payees is None else Q(payee__in=sorted(payees))
    ConvertedPayeeRollup.objects.filter(chosen, _in_months(months)).delete()
    ConvertedPayeeRollup.objects.bulk_create(
        [
            _payee_model(tenant_id, base, key, row)
            for key, row in sorted(_payee_sums(months, payees, base, book).items())
        ],
        batch_size=_BATCH,
    )
    spans = {span for month in months for span in spans_containing(month)}
    if not spans:
        return
    in_spans = Q(pk__in=[])
    for start, size in spans:
        ConvertedPayeeRollup.objects.filter(chosen, months=size, start=start).delete()
        last = month_end(date(start.year, start.month + size - 1, 1))
        in_spans |= Q(start__range=(start, last))
    monthly = (
        (start, payee, from_limbs(hi, mid, lo), inexact, count, missing)
        for start, payee, hi, mid, lo, inexact, count, missing in (
            ConvertedPayeeRollup.objects.filter(chosen, in_spans, target=base, months=1)
            .values_list("start", "payee", "hi", "mid", "lo", "inexact", "count", "missing")
            .iterator(chunk_size=_BATCH)
        )
    )
    ConvertedPayeeRollup.objects.bulk_create(
        [
            _payee_model(tenant_id, base, key, row)
            for key, row in sorted(span_sums(monthly, spans).items())
        ],
        batch_size=_BATCH,
    )


def _recompute(state: ConvertedState, months: set[date], payees: set[str] | None = None) -> None:
    if not months:
        return
    tenant_id = state.tenant_id
    book = rate_book(months)
    ConvertedFlowRollup.objects.filter(_in_months(months)).delete()
    ConvertedFlowRollup.objects.bulk_create(
        [
            _flow_model(tenant_id, key, row)
            for key, row in sorted(_flow_sums(months, state.target_set, book).items())
        ],
        batch_size=_BATCH,
    )
    _refresh_payees(tenant_id, months, payees, state.base, book)


def converted_state() -> ConvertedState | None:
    """The acting tenant's state row, None when its converted rows are not kept."""
    return ConvertedState.objects.first()


def converted_refresh(*, months: Iterable[date], payees: Iterable[str] | None = None) -> None:
    """After a write in the acting tenant's scope: recompute the converted rows of these
    months (first days); payee rows only for ``payees`` when given."""
    state = converted_state()
    if state is None:
        return
    _lock(state.tenant_id)
    chosen = None if payees is None else set(payees)
    if chosen is not None and len(chosen) > _MANY_PAYEES:
        chosen = None
    _recompute(state, {month_start(m) for m in months}, chosen)


def _data_months() -> list[date]:
    return sorted(set(MonthlyRollup.objects.values_list("month", flat=True).distinct()))


def converted_rates_changed(*, changes: Iterable[tuple[str, str, date]]) -> None:
    """After rates of these (base, quote, date) were written or deleted: every month from
    the date until the pair's next rate (either direction) converts differently."""
    if converted_state() is None:
        return
    data = _data_months()
    if not data:
        return
    months: set[date] = set()
    for base, quote, day in changes:
        following = (
            ExchangeRate.objects.filter(
                Q(base=base, quote=quote) | Q(base=quote, quote=base), date__gt=day
            )
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        last = month_start(following) if following else data[-1]
        months |= {m for m in data if month_start(day) <= m <= last}
    converted_refresh(months=months)


def tenant_targets() -> set[str]:
    """The acting tenant's base currency and its budgets' currencies (the budgets app is
    above the ledger, so its model is looked up, not imported)."""
    budget = apps.get_model("budgets", "Budget")
    tenant = current_tenant()
    return {tenant.base_currency, *budget.objects.values_list("currency", flat=True).distinct()}


def is_multi_currency(targets: set[str]) -> bool:
    currencies = set(Account.objects.values_list("currency", flat=True).distinct())
    return len(currencies | targets) > 1


def converted_build() -> int:
    """Rebuild the acting tenant's converted rows (or drop them for a single-currency
    tenant); returns the rows written."""
    tenant = current_tenant()
    _lock(tenant.pk)
    for model in (ConvertedFlowRollup, ConvertedPayeeRollup, ConvertedState):
        model.objects.all().delete()
    targets = tenant_targets()
    if not is_multi_currency(targets):
        return 0
    state = ConvertedState.objects.create(
        tenant=tenant, base=tenant.base_currency, targets=",".join(sorted(targets))
    )
    data = _data_months()
    for year in sorted({m.year for m in data}):
        _recompute(state, {m for m in data if m.year == year})
    return ConvertedFlowRollup.objects.count() + ConvertedPayeeRollup.objects.count()


def converted_ensure() -> None:
    """After a write that may add a target (a budget's currency, the base) or make the
    tenant multi-currency (an account's currency): rebuild when the rows do not cover it."""
    state = converted_state()
    targets = tenant_targets()
    if state is None:
        if is_multi_currency(targets):
            converted_build()
        return
    if state.base != current_tenant().base_currency or not targets <= state.target_set:
        converted_build()
