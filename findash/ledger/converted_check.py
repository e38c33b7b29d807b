"""The converted rollups as entries of ``rollup_rebuild.DERIVED``: rebuilt by
``converted_build`` and verified against a recomputation from the daily rollups and rates
(which ``rollups_verify`` checks against the transactions first)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from findash.common.fx_rates import from_limbs
from findash.ledger.converted import converted_state
from findash.ledger.converted_sums import (
    FlowRow,
    encode_missing,
    flow_sums,
    payee_sums,
    rate_book,
    span_sums,
)
from findash.ledger.models import (
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    ConvertedState,
    MonthlyRollup,
)
from findash.ledger.payee_spans import spans_containing

Sums = dict[tuple[Any, ...], tuple[Any, ...]]


def _expected_state() -> tuple[str, set[str]] | None:
    """(base, targets) the stored converted rows should match; None: no rows kept (the
    dashboard then converts per day, which is correct too)."""
    state = converted_state()
    if state is None:
        return None
    return state.base, state.target_set


def _months() -> set[date]:
    return set(MonthlyRollup.objects.values_list("month", flat=True).distinct())


def _flow_tuple(row: FlowRow) -> tuple[Any, ...]:
    return (
        row.total.low,
        row.total.inexact,
        row.inflow.low,
        row.inflow.inexact,
        row.outflow.low,
        row.outflow.inexact,
        row.count,
        row.inflow_count,
        encode_missing(row.missing),
    )


def _flows_recomputed(targets: set[str]) -> Sums:
    months = _months()
    if not months:
        return {}
    return {
        key: _flow_tuple(row) for key, row in flow_sums(months, targets, rate_book(months)).items()
    }


def _payees_recomputed(base: str) -> Sums:
    months = _months()
    if not months:
        return {}
    found = payee_sums(months, None, base, rate_book(months))
    monthly = [
        (start, payee, row.total.low, row.total.inexact, row.count, encode_missing(row.missing))
        for (size, start, payee), row in found.items()
        if size == 1
    ]
    spans = {span for month in months for span in spans_containing(month)}
    found.update(span_sums(monthly, spans))
    return {
        (base, *key): (row.total.low, row.total.inexact, row.count, encode_missing(row.missing))
        for key, row in found.items()
    }


def _flows_stored() -> Sums:
    found: Sums = {}
    for row in ConvertedFlowRollup.objects.values_list(
        "target", "months", "start", "category_key", *_FLOW_COLUMNS
    ):
        key, rest = row[:4], row[4:]
        sums = []
        for index in range(3):
            hi, mid, lo, inexact = rest[index * 4 : index * 4 + 4]
            sums += [from_limbs(hi, mid, lo), inexact]
        found[key] = (*sums, *rest[12:])
    return found


_FLOW_COLUMNS = [
    *(
        f"{name}_{part}"
        for name in ("total", "inflow", "outflow")
        for part in ("hi", "mid", "lo", "inexact")
    ),
    "count",
    "inflow_count",
    "missing",
]


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
        if self.model is ConvertedFlowRollup:
            return _flows_recomputed(targets)
        return _payees_recomputed(base)

    def stored(self) -> Sums:
        if self.model is ConvertedState:
            state = converted_state()
            return {} if state is None else {(): (state.base, state.targets)}
        if self.model is ConvertedFlowRollup:
            return _flows_stored()
        return {
            (target, months, start, payee): (from_limbs(hi, mid, lo), inexact, count, missing)
            for target, months, start, payee, hi, mid, lo, inexact, count, missing in (
                ConvertedPayeeRollup.objects.values_list(
                    "target",
                    "months",
                    "start",
                    "payee",
                    "hi",
                    "mid",
                    "lo",
                    "inexact",
                    "count",
                    "missing",
                )
            )
        }


CONVERTED = (
    ConvertedDerived("converted state", ConvertedState),
    ConvertedDerived("converted flows", ConvertedFlowRollup),
    ConvertedDerived("converted payees", ConvertedPayeeRollup),
)
