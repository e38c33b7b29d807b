"""Spending per payee in a period, from the payee rollups only.

Whole months come from the monthly payee rollups and partial months from the
daily ones. Base-currency spending (rate 1) is summed over the whole period in
SQL; other currencies per month, or per day where their rate into the base
changes inside the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, DateField, F, Sum, Value, When

from findash.dashboard.flows import in_ranges, month_runs
from findash.dashboard.reference import ReferenceData
from findash.ledger.aggregates import grouped
from findash.ledger.models import PayeeDailyRollup, PayeeMonthlyRollup


@dataclass(frozen=True, slots=True)
class PayeeFlow:
    payee: str
    currency: str
    day: date  # whose rate converts ``total``
    total: int  # signed hundredths: spending is negative
    count: int


def _bucket(base: str, period_field: str) -> Case:
    """Group key for the rate: none for the base currency (rate 1); for other currencies the
    month in the monthly table, the day in the daily one."""
    whens = [When(currency=base, then=Value(None, output_field=DateField()))]
    return Case(*whens, default=F(period_field), output_field=DateField())


def payee_flows(ref: ReferenceData) -> list[PayeeFlow]:
    period = ref.period
    split = {pair for pair in ref.split_to_base if pair[1] in set(period.months())}
    sums = {"total": Sum("total_cents"), "count": Sum("count")}
    found: list[PayeeFlow] = []
    full = [m for m in period.full_months() if all((c, m) not in split for c in ref.currencies)]
    queries = []
    if full:
        queries.append(
            grouped(
                PayeeMonthlyRollup.objects.filter(month__in=full),
                {
                    "payee": "payee",
                    "currency": "currency",
                    "bucket": _bucket(ref.base, "month"),
                },
                sums,
            )
        )
    # Partial months, and whole months with a split currency, from the daily rollups.
    day_ranges = period.edges() + month_runs([m for m in period.full_months() if m not in full])
    if day_ranges:
        queries.append(
            grouped(
                PayeeDailyRollup.objects.filter(in_ranges("day", day_ranges)),
                {
                    "payee": "payee",
                    "currency": "currency",
                    "bucket": _bucket(ref.base, "day"),
                },
                sums,
            )
        )
    for rows in queries:
        found += [
            PayeeFlow(payee, currency, bucket or period.start, total, count)
            for payee, currency, bucket, total, count in rows
            if total or count  # rows emptied by deletes stay behind as zeros
        ]
    return found
