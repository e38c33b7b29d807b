"""How a period's last partial month is read: as its days, or as the whole month less the
days after the period.

A period that runs up to the tenant's last day with flows (``last_30_days``,
``last_12_months``, ``current_month``: today is usually the last day with data) ends in a
month whose later days hold no rows, so that month's one row per payee (or category), less
the days after the period (none), is far fewer rows than its days up to the period's end.
The tenant's last day with flows only *chooses* the reading: both are exact (the days
after the period are read and subtracted as they are), so the day is kept per process for
a minute, and a stale one costs rows, never a wrong figure.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max

from findash.common.months import month_end
from findash.dashboard.kept_hints import KeptHint
from findash.dashboard.periods import Period
from findash.ledger.models import DailyRollup

_LAST_DAY: KeptHint[date | None] = KeptHint()


def last_day_forget() -> None:
    """Forget every kept day (tests: tenant ids are reused after a rollback)."""
    _LAST_DAY.forget()


def last_flow_day(tenant_id: int) -> date | None:
    """The acting tenant's last day with a daily rollup row (rows emptied by deletes too)."""
    return _LAST_DAY.get(tenant_id, lambda: DailyRollup.objects.aggregate(last=Max("day"))["last"])


def month_less_after(period: Period, last_day: date | None) -> tuple[date, date, date] | None:
    """(month, the day after the period, the month's last day) when the period's last edge
    is best read as its whole month less the days after the period: it starts on the
    month's first day and no flow is dated after the period (per ``last_day``)."""
    edges = period.edges()
    if not edges or last_day is None or last_day > period.end:
        return None
    first, last = edges[-1]
    if first.day != 1 or last != period.end:
        return None
    return first, period.end + timedelta(days=1), month_end(first)
