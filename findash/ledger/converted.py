"""Converted rollups (``findash.ledger.converted_models``), kept in each write's transaction.

A write never adjusts a converted sum: it recomputes the affected (tenant, month) rows
from the daily rollups and the rates, which is simple and exact. Transaction writes
recompute their months for their categories and payees; rate writes the months from the
rate's date until the pair's next rate, into the pair's currencies only; a new target
(base or budget currency) rebuilds the tenant. On PostgreSQL the tenant's write lock
(``tenant_lock``) orders concurrent recomputations: each reads, under the lock, everything
committed before it.

Tenants whose converted rows are not built (no ``ConvertedState``: single-currency
tenants, and tenants from before this table until ``manage.py rebuild_rollups``) pay one
query per write and are read per day, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db.models import Q

from findash.common.fx_rates import RateBook, from_limbs
from findash.common.months import month_end, month_start
from findash.ledger.aggregates import in_ranges, month_runs
from findash.ledger.converted_sums import (
    BATCH,
    flow_model,
    flow_sums,
    payee_model,
    payee_sums,
    rate_book,
    span_sums,
)
from findash.ledger.models import (
    Account,
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    ConvertedState,
    ExchangeRate,
    MonthlyRollup,
)
from findash.ledger.payee_spans import spans_containing
from findash.ledger.tenant_lock import tenant_write_lock
from findash.tenancy.scoping import current_tenant

_MANY_PAYEES = 500  # beyond this many, a write recomputes every payee of its months


def _in_months(months: set[date]) -> Q:
    """Rows of these months: the months' own rows and their days' rows."""
    return Q(months=1, start__in=sorted(months)) | Q(months=0) & in_ranges(
        "start", month_runs(months)
    )


def _refresh_payees(
    tenant_id: int, months: set[date], payees: set[str] | None, base: str, book: RateBook
) -> None:
    """Recompute the base-currency payee rows of ``months`` (their days, the months and
    the spans holding them) for ``payees`` (None: all)."""
    chosen = Q() if payees is None else Q(payee__in=sorted(payees))
    ConvertedPayeeRollup.objects.filter(chosen, _in_months(months)).delete()
    ConvertedPayeeRollup.objects.bulk_create(
        [
            payee_model(tenant_id, base, key, row)
            for key, row in sorted(payee_sums(months, payees, base, book).items())
        ],
        batch_size=BATCH,
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
            .iterator(chunk_size=BATCH)
        )
    )
    ConvertedPayeeRollup.objects.bulk_create(
        [
            payee_model(tenant_id, base, key, row)
            for key, row in sorted(span_sums(monthly, spans).items())
        ],
        batch_size=BATCH,
    )


def _recompute(
    state: ConvertedState,
    months: set[date],
    *,
    payees: set[str] | None = None,
    keys: set[int] | None = None,
    targets: set[str] | None = None,
) -> None:
    """Recompute the rows of ``months`` into ``targets`` (None: all the state's) for these
    categories and payees (None: all)."""
    chosen_targets = state.target_set if targets is None else state.target_set & targets
    if not months or not chosen_targets:
        return
    tenant_id = state.tenant_id
    book = rate_book(months)
    chosen = Q(target__in=sorted(chosen_targets))
    if keys is not None:
        chosen &= Q(category_key__in=sorted(keys))
    ConvertedFlowRollup.objects.filter(chosen, _in_months(months)).delete()
    ConvertedFlowRollup.objects.bulk_create(
        [
            flow_model(tenant_id, key, row)
            for key, row in sorted(flow_sums(months, chosen_targets, book, keys).items())
        ],
        batch_size=BATCH,
    )
    if state.base in chosen_targets:
        _refresh_payees(tenant_id, months, payees, state.base, book)


def converted_state() -> ConvertedState | None:
    """The acting tenant's state row, None when its converted rows are not kept."""
    return ConvertedState.objects.first()


def converted_refresh(
    *,
    months: Iterable[date],
    payees: Iterable[str] | None = None,
    keys: Iterable[int] | None = None,
    targets: Iterable[str] | None = None,
) -> None:
    """After a write in the acting tenant's scope: recompute the converted rows of these
    months (first days), only for these payees, category keys and targets when given."""
    state = converted_state()
    if state is None:
        return
    tenant_write_lock(state.tenant_id)
    chosen = None if payees is None else set(payees)
    if chosen is not None and len(chosen) > _MANY_PAYEES:
        chosen = None
    _recompute(
        state,
        {month_start(m) for m in months},
        payees=chosen,
        keys=None if keys is None else set(keys),
        targets=None if targets is None else set(targets),
    )


def _data_months() -> list[date]:
    return sorted(set(MonthlyRollup.objects.values_list("month", flat=True).distinct()))


def converted_rates_changed(*, changes: Iterable[tuple[str, str, date]]) -> None:
    """After rates of these (base, quote, date) were written or deleted: every month from
    the date until the pair's next rate (either direction) converts differently, into the
    pair's currencies only (payees only when one of them is the base)."""
    if converted_state() is None:
        return
    data = _data_months()
    if not data:
        return
    months: set[date] = set()
    targets: set[str] = set()
    for base, quote, day in changes:
        targets |= {base, quote}
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
    converted_refresh(months=months, targets=targets)


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
    tenant_write_lock(tenant.pk)
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
        _recompute(state, {m for m in data if m.year == year})  # every target, key, payee
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
    if state.base != current_tenant().base_currency:
        converted_build()
    elif not targets <= state.target_set:  # a budget in a new currency: add its rows only
        tenant_write_lock(state.tenant_id)
        added = targets - state.target_set
        state.targets = ",".join(sorted(state.target_set | added))
        state.save(update_fields=["targets"])
        data = _data_months()
        for year in sorted({m.year for m in data}):
            _recompute(state, {m for m in data if m.year == year}, targets=added)
