"""The converted rollups as entries of ``rollup_rebuild.DERIVED``: rebuilt by
``converted_build`` and verified against a recomputation from the daily rollups and rates
(which ``rollups_verify`` checks against the transactions first)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models

from findash.ledger.converted import (
    _flow_rows,
    _merge_missing,
    _payee_months,
    _PayeeRow,
    converted_state,
    encode_missing,
    rate_book,
)
from findash.ledger.models import (
    ConvertedMonthlyRollup,
    ConvertedPayeeRollup,
    ConvertedState,
    MonthlyRollup,
)
from findash.ledger.payee_spans import spans_containing
from findash.tenancy.scoping import current_tenant

Sums = dict[tuple[Any, ...], tuple[Any, ...]]


def _expected_state() -> tuple[str, set[str]] | None:
    """(base, targets) the stored converted rows should match; None: no rows kept (the
    dashboard then converts per day, which is correct too)."""
    state = converted_state()
    if state is None:
        return None
    return state.base, state.target_set


def _flow_sums(tenant_id: int, base_targets: tuple[str, set[str]]) -> Sums:
    months = set(MonthlyRollup.objects.values_list("month", flat=True).distinct())
    if not months:
        return {}
    rows = _flow_rows(tenant_id, months, base_targets[1], rate_book(months))
    return {(r.target, r.month, r.category_key): _flow_tuple(r) for r in rows}


def _flow_tuple(r: Any) -> tuple[Any, ...]:
    return (
        int(r.total_low),
        r.total_inexact,
        int(r.inflow_low),
        r.inflow_inexact,
        int(r.outflow_low),
        r.outflow_inexact,
        r.count,
        r.inflow_count,
        r.missing,
    )


def _payee_sums(base: str) -> Sums:
    months = set(MonthlyRollup.objects.values_list("month", flat=True).distinct())
    if not months:
        return {}
    monthly = _payee_months(months, None, base, rate_book(months))
    found: dict[tuple[Any, ...], _PayeeRow] = dict(
        ((1, month, payee), row) for (month, payee), row in monthly.items()
    )
    spans: dict[tuple[Any, ...], _PayeeRow] = defaultdict(_PayeeRow)
    for (month, payee), row in monthly.items():
        for start, size in spans_containing(month):
            span = spans[(size, start, payee)]
            span.total.low += row.total.low
            span.total.inexact += row.total.inexact
            span.count += row.count
            _merge_missing(span.missing, row.missing)
    found.update(spans)
    return {
        (base, *key): (row.total.low, row.total.inexact, row.count, encode_missing(row.missing))
        for key, row in found.items()
    }


class ConvertedDerived:
    """One converted table, in the interface of ``rollup_rebuild.Derived``."""

    is_payee = False

    def __init__(self, name: str, model: type[models.Model]) -> None:
        self.name = name
        self.model = model

    def recomputed(self) -> Sums:
        expected = _expected_state()
        if expected is None:
            return {}
        base, targets = expected
        if self.model is ConvertedState:
            return {(): (base, ",".join(sorted(targets)))}  # kept for any targets
        if self.model is ConvertedMonthlyRollup:
            return _flow_sums(current_tenant().pk, expected)
        return _payee_sums(base)

    def stored(self) -> Sums:
        if self.model is ConvertedState:
            state = converted_state()
            return {} if state is None else {(): (state.base, state.targets)}
        if self.model is ConvertedMonthlyRollup:
            return {
                (r.target, r.month, r.category_key): _flow_tuple(r)
                for r in ConvertedMonthlyRollup.objects.all()
            }
        return {
            (target, months, start, payee): (int(low), inexact, count, missing)
            for target, months, start, payee, low, inexact, count, missing in (
                ConvertedPayeeRollup.objects.values_list(
                    "target", "months", "start", "payee", "low", "inexact", "count", "missing"
                )
            )
        }


CONVERTED = (
    ConvertedDerived("converted state", ConvertedState),
    ConvertedDerived("converted monthly", ConvertedMonthlyRollup),
    ConvertedDerived("converted payees", ConvertedPayeeRollup),
)
