"""Top payees of multi-currency tenants from the converted payee rollups.

Base-currency spending is summed in SQL over the period's aligned spans, single months
and partial-month days (``payees._parts``); so is the other currencies' spending, already
converted (``ConvertedPayeeRollup``: per span, month and day, as limbs SQL sums exactly).
Python gets two rows per payee, rounds the exact total of each payee that could rank
(``_could_rank``: by the bounds of its interval) once and ranks them. A period
reads about ``payees x (spans + 2 months of days)`` rows, whatever its length.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Sum, Value, When

from findash.common.fx_rates import INTERVAL_DIGITS, ONE, Interval, from_limbs
from findash.common.money import AMOUNT_DECIMAL_PLACES, minor_unit
from findash.dashboard.converted_read import converted_usable
from findash.dashboard.fx import Converted
from findash.dashboard.last_day import last_flow_day, month_less_after
from findash.dashboard.payees import Factor, spenders_ranked, top_payees
from findash.dashboard.reference import ReferenceData
from findash.dashboard.schemas import PayeeTotal
from findash.ledger.converted_sums import decode_missing
from findash.ledger.models import (
    ConvertedPayeeRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeeSpanRollup,
)
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
    could = _could_rank(spent, ref.base, limit)
    return spenders_ranked(spent, {p: n for p, n in count.items() if p in could}, ref.base, limit)


def _could_rank(spent: dict[str, Converted], currency: str, limit: int) -> set[str]:
    """The payees that could be among the ``limit`` ranked, so only they are rounded.

    Each total lies in ``[low, high]`` (units of ``10**-30``: cents and intervals). With
    ``floor`` the ``limit``-th highest ``low`` and ``step`` one unit of the rounded total,
    a payee with ``high + step < floor`` rounds below each of ``limit`` payees (rounding
    moves a value by at most half a step), so it never ranks, not even on a tie by name."""
    bounds = {}
    for payee, total in spent.items():
        if total.by_rate:  # not bounded here (never: everything comes at rate 1)
            return set(spent)
        low = total.cents * 10 ** (INTERVAL_DIGITS - 2) + sum(i.low for i in total.intervals)
        bounds[payee] = (low, low + sum(i.inexact for i in total.intervals))
    if len(bounds) <= limit:
        return set(bounds)
    floor = heapq.nlargest(limit, [low for low, _high in bounds.values()])[-1]
    step = 10**INTERVAL_DIGITS // 10 ** min(minor_unit(currency), AMOUNT_DECIMAL_PLACES)
    return {payee for payee, (_low, high) in bounds.items() if high + step >= floor}


def _edges(ref: ReferenceData) -> tuple[list[tuple[date, date]], tuple[date, date, date] | None]:
    """The edges read as days, and the last one read as its month less the days after the
    period instead, when that reads less (``last_day.month_less_after``)."""
    edges = ref.period.edges()
    month = month_less_after(ref.period, last_flow_day(ref.tenant.pk))
    return (edges[:-1], month) if month is not None else (edges, None)


def _base_parts(ref: ReferenceData) -> list[tuple[int, QuerySet[Any]]]:
    """(sign, row set) pairs whose signed sum is the period's base-currency spending exactly
    once: the aligned spans and single months its whole months split into, and its edge days
    or an edge's month less the days after the period (as ``payees`` reads them for one
    currency, kept here so the two can change apart)."""
    base = ref.base
    spans, singles = months_cover(ref.period.full_months())
    starts: dict[int, list[date]] = defaultdict(list)
    for start, months in spans:
        starts[months].append(start)
    parts: list[tuple[int, QuerySet[Any]]] = [
        (1, PayeeSpanRollup.objects.filter(months=months, start__in=firsts, currency=base))
        for months, firsts in sorted(starts.items())
    ]
    if singles:
        parts.append((1, PayeeMonthlyRollup.objects.filter(month__in=singles, currency=base)))
    edges, less_after = _edges(ref)
    parts += [(1, PayeeDailyRollup.objects.filter(day__range=e, currency=base)) for e in edges]
    if less_after is not None:
        month, after, last = less_after
        parts.append((1, PayeeMonthlyRollup.objects.filter(month=month, currency=base)))
        parts.append((-1, PayeeDailyRollup.objects.filter(day__range=(after, last), currency=base)))
    return [(sign, part.order_by().values_list(*_COLUMNS)) for sign, part in parts]


_COLUMNS = ("payee", "total_cents", "count")


def _base_spending(ref: ReferenceData) -> list[tuple[str, int, int]]:
    """(payee, signed hundredths, count) of base-currency spending, grouped in SQL."""
    selects: list[str] = []
    params: list[Any] = []
    for index, (sign, part) in enumerate(_base_parts(ref)):
        sql, part_params = part.query.sql_with_params()
        selects.append(
            f'SELECT "payee", {sign} * "total_cents" AS "total_cents", '  # noqa: S608  # nosec B608
            f'{sign} * "count" AS "count" FROM ({sql}) AS p{index}'
        )
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
    """Other currencies' spending in the period, already converted, summed per payee in SQL:
    the spans and single months its whole months split into and the days of its edges (or
    an edge's month less the days after the period: those rows subtracted, as intervals)."""
    period = ref.period
    spans, singles = months_cover(period.full_months())
    edges, less_after = _edges(ref)
    chosen = Q(months=1, start__in=singles)
    for start, size in spans:
        chosen |= Q(months=size, start=start)
    for first, last in edges:
        chosen |= Q(months=0, start__range=(first, last))
    after = Q(pk__in=[])
    if less_after is not None:
        month, first_after, last = less_after
        after = Q(months=0, start__range=(first_after, last))
        chosen |= Q(months=1, start=month) | after
    if not (spans or singles or edges or less_after):
        return []
    rows = ConvertedPayeeRollup.objects.filter(chosen, target=ref.base).order_by()
    sign = Case(When(after, then=Value(-1)), default=Value(1))
    sums: dict[str, Any] = {
        name: Sum(F(name) * sign, output_field=BigIntegerField())
        for name in ("hi", "mid", "lo", "count")
    }
    # A subtracted interval [low, low + inexact] adds [-low - inexact, -low].
    sums["lowered"] = Sum(Case(When(after, then=F("inexact")), default=Value(0)))
    sums["inexact"] = Sum("inexact")
    sums["missing_rows"] = Sum(Case(When(missing="", then=0), default=1))
    found, missing = [], False
    for payee, hi, mid, lo, n, lowered, inexact, missing_rows in (
        rows.values("payee").annotate(**sums).values_list("payee", *sums)
    ):
        low = from_limbs(hi, mid, lo) - int(lowered)
        found.append((payee, Interval(low, int(inexact), _exact_of(ref, payee)), int(n)))
        missing = missing or bool(missing_rows)
    if missing:  # rare: read those rows again for the missing-rate warnings
        for text in rows.exclude(missing="").values_list("missing", flat=True):
            for currency, day in decode_missing(text).items():
                if day in period:  # (a month's first day without a rate may come after it)
                    factor(currency, ref.base, day)  # None: the warning
    return found


def _exact_of(ref: ReferenceData, payee: str) -> Callable[[], Fraction]:
    """The exact other-currency spending of ``payee`` in the period, per day (rarely used)."""

    def exact() -> Fraction:
        total = Fraction(0)
        for currency, day, cents in (
            PayeeDailyRollup.objects.filter(
                day__range=(ref.period.start, ref.period.end), payee=payee
            )
            .exclude(currency=ref.base)
            .values_list("currency", "day", "total_cents")
        ):
            rate = ref.rates.factor(currency, ref.base, day)
            if rate is not None:
                total += Fraction(cents, 100) * rate
        return total

    return exact
