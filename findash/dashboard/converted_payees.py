"""Top payees of multi-currency tenants from the converted payee rollups.

Base-currency spending is summed in SQL over the period's aligned spans, single months
and partial-month days (``payees._parts``); other currencies' whole months come
already converted (``ConvertedPayeeRollup``, per span or month), their partial months
per day. Every payee's total is exact and rounded once; the ranking is done here. A
period reads about ``payees x (spans + 2 months of days)`` rows, whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import Q

from findash.common.months import month_end
from findash.dashboard.converted_read import converted_usable
from findash.dashboard.flows import in_ranges
from findash.dashboard.fx import ONE, Converted, Interval
from findash.dashboard.payees import Factor, _parts, top_payees
from findash.dashboard.reference import ReferenceData
from findash.dashboard.schemas import PayeeTotal
from findash.ledger.converted import decode_missing
from findash.ledger.models import ConvertedPayeeRollup, PayeeDailyRollup
from findash.ledger.payee_spans import months_cover


def ranked_payees(ref: ReferenceData, factor: Factor, limit: int) -> list[PayeeTotal]:
    """``payees.top_payees``, from the converted rollups when the tenant keeps them."""
    if set(ref.currencies) <= {ref.base} or not converted_usable(ref):
        return top_payees(ref, factor, limit)
    spent: dict[str, Converted] = defaultdict(Converted)
    count: dict[str, int] = defaultdict(int)
    for payee, cents, number in _base_spending(ref):
        spent[payee].add(-cents, ONE)
        count[payee] += number
    for payee, interval, number in _converted(ref, factor):
        spent[payee].add(-interval, ONE)
        count[payee] += number
    for payee, currency, day, cents, number in _edge_days(ref):
        count[payee] += number
        rate = factor(currency, ref.base, day)
        if rate is not None:
            spent[payee].add(-cents, rate)
    rows = [
        PayeeTotal(payee=payee, total=spent[payee].rounded(ref.base), count=count[payee])
        for payee in count
    ]
    rows = [row for row in rows if row.total > 0]
    rows.sort(key=lambda r: (-r.total, r.payee))
    return rows[:limit]


def _base_spending(ref: ReferenceData) -> list[tuple[str, int, int]]:
    """(payee, signed hundredths, count) of base-currency spending, grouped in SQL."""
    selects: list[str] = []
    params: list[Any] = []
    for index, part in enumerate(_parts(ref)):
        sql, part_params = part.query.sql_with_params()
        selects.append(f"SELECT * FROM ({sql}) AS p{index}")  # noqa: S608  # nosec B608
        params.extend(part_params)
    if not selects:
        return []
    query = (
        'SELECT "payee", SUM("total_cents"), SUM("count") '  # noqa: S608  # nosec B608
        f'FROM ({" UNION ALL ".join(selects)}) AS spent GROUP BY "payee"'
    )
    with connection.cursor() as cursor:
        # Each part is a scoped queryset's own SQL; every value is a bound parameter.
        cursor.execute(query, params)  # nosec B608
        return [(payee, int(total), int(count)) for payee, total, count in cursor.fetchall()]


def _converted(ref: ReferenceData, factor: Factor) -> list[tuple[str, Interval, int]]:
    """Other currencies' spending over the period's whole months, already converted."""
    spans, singles = months_cover(ref.period.full_months())
    condition = Q(months=1, start__in=singles)
    for start, size in spans:
        condition |= Q(months=size, start=start)
    if not (spans or singles):
        return []
    found = []
    for start, size, payee, low, inexact, count, missing in (
        ConvertedPayeeRollup.objects.filter(condition, target=ref.base)
        .order_by()
        .values_list("start", "months", "payee", "low", "inexact", "count", "missing")
    ):
        for currency, day in decode_missing(missing).items():
            factor(currency, ref.base, day)  # None: the missing-rate warning
        exact = _exact_of(ref, payee, start, size)
        found.append((payee, Interval(int(low), inexact, exact), count))
    return found


def _exact_of(ref: ReferenceData, payee: str, start: date, size: int) -> Callable[[], Fraction]:
    def exact() -> Fraction:
        last = month_end(date(start.year, start.month + size - 1, 1))
        total = Fraction(0)
        for currency, day, cents in (
            PayeeDailyRollup.objects.filter(day__range=(start, last), payee=payee)
            .exclude(currency=ref.base)
            .values_list("currency", "day", "total_cents")
        ):
            rate = ref.rates.factor(currency, ref.base, day)
            if rate is not None:
                total += Fraction(cents, 100) * rate
        return total

    return exact


def _edge_days(ref: ReferenceData) -> list[tuple[str, str, date, int, int]]:
    edges = ref.period.edges()
    if not edges:
        return []
    return [
        row
        for row in PayeeDailyRollup.objects.filter(in_ranges("day", edges))
        .exclude(currency=ref.base)
        .order_by()
        .values_list("payee", "currency", "day", "total_cents", "count")
        if row[3] or row[4]
    ]
