"""Converted sums computed from the daily rollups and the rates: the rows of
``ConvertedFlowRollup`` and ``ConvertedPayeeRollup`` (``findash.ledger.converted`` writes
them, ``converted_check`` verifies them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Max, Q

from findash.common.fx_rates import RateBook, floor_term, to_limbs
from findash.common.months import month_end, month_start
from findash.ledger.aggregates import grouped, in_ranges, month_runs, rollup_sums
from findash.ledger.models import (
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    DailyRollup,
    ExchangeRate,
    PayeeDailyRollup,
)
from findash.ledger.payee_spans import spans_containing

_MANY_PAYEES = 500  # beyond this many, a write recomputes every payee of its months
BATCH = 2000


def encode_missing(missing: dict[str, date]) -> str:
    return ",".join(f"{cur}:{day.isoformat()}" for cur, day in sorted(missing.items()))


def decode_missing(text: str) -> dict[str, date]:
    found = {}
    for part in filter(None, text.split(",")):
        cur, day = part.split(":")
        found[cur] = date.fromisoformat(day)
    return found


def merge_missing(into: dict[str, date], other: dict[str, date]) -> None:
    for cur, day in other.items():
        if cur not in into or day < into[cur]:
            into[cur] = day


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


class FlowRow:
    __slots__ = ("count", "inflow", "inflow_count", "missing", "outflow", "total")

    def __init__(self) -> None:
        self.total, self.inflow, self.outflow = _Sum(), _Sum(), _Sum()
        self.count = self.inflow_count = 0
        self.missing: dict[str, date] = {}


class PayeeRow:
    __slots__ = ("count", "missing", "total")

    def __init__(self) -> None:
        self.total = _Sum()
        self.count = 0
        self.missing: dict[str, date] = {}


def flow_sums(
    months: set[date], targets: set[str], book: RateBook, keys: set[int] | None = None
) -> dict[tuple[str, int, date, int], FlowRow]:
    """(target, 0 or 1, day or month, category_key) -> converted sums (of ``keys``)."""
    chosen = Q() if keys is None else Q(category_key__in=sorted(keys))
    rows = grouped(
        DailyRollup.objects.filter(chosen, in_ranges("day", month_runs(months)), is_transfer=False),
        {"day": "day", "currency": "account__currency", "key": "category_key"},
        rollup_sums(),
    )
    found: dict[tuple[str, int, date, int], FlowRow] = defaultdict(FlowRow)
    for day, currency, key, total, inflow, outflow, count, inflow_count in rows:
        if not (total or inflow or outflow or count):
            continue
        for target in targets - {currency}:
            factor = book.factor(currency, target, day)
            for row in (found[(target, 0, day, key)], found[(target, 1, month_start(day), key)]):
                row.count += count
                row.inflow_count += inflow_count
                if factor is None:
                    merge_missing(row.missing, {currency: day})
                    continue
                row.total.add(total, factor)
                row.inflow.add(inflow, factor)
                row.outflow.add(outflow, factor)
    return found


def flow_model(
    tenant_id: int, key: tuple[str, int, date, int], row: FlowRow
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


def payee_sums(
    months: set[date], payees: set[str] | None, base: str, book: RateBook
) -> dict[tuple[int, date, str], PayeeRow]:
    """(0 or 1, day or month, payee) -> converted spending in currencies but the base."""
    daily = PayeeDailyRollup.objects.filter(in_ranges("day", month_runs(months))).exclude(
        currency=base
    )
    if payees is not None:
        daily = daily.filter(payee__in=sorted(payees))
    found: dict[tuple[int, date, str], PayeeRow] = defaultdict(PayeeRow)
    for day, currency, payee, total, count in daily.values_list(
        "day", "currency", "payee", "total_cents", "count"
    ).iterator(chunk_size=BATCH):
        if not (total or count):
            continue
        factor = book.factor(currency, base, day)
        for row in (found[(0, day, payee)], found[(1, month_start(day), payee)]):
            row.count += count
            if factor is None:
                merge_missing(row.missing, {currency: day})
            else:
                row.total.add(total, factor)
    return found


def span_sums(
    monthly: Iterable[tuple[date, str, int, int, int, str]], spans: set[tuple[date, int]]
) -> dict[tuple[int, date, str], PayeeRow]:
    """Monthly (month, payee, low, inexact, count, missing) added up per span."""
    sums: dict[tuple[int, date, str], PayeeRow] = defaultdict(PayeeRow)
    for start, payee, low, inexact, count, missing in monthly:
        for span_start, size in spans_containing(start):
            if (span_start, size) not in spans:
                continue
            row = sums[(size, span_start, payee)]
            row.total.low += low
            row.total.inexact += inexact
            row.count += count
            merge_missing(row.missing, decode_missing(missing))
    return sums


def payee_model(
    tenant_id: int, base: str, key: tuple[int, date, str], row: PayeeRow
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
