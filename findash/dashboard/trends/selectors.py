"""Net worth at the end of each month, from the monthly rollups.

A balance at day D is the opening balance plus every amount dated on or before
D (transfers included). Whole months come from ``MonthlyRollup``; the last
point's month from ``DailyRollup`` up to D, so a point dated mid-month leaves
out later (e.g. future-dated) rows, as the dashboard does; no read touches raw
transactions.
Each account's balance is converted with the latest rate on or before D and
rounded once; assets and liabilities are sums of those rounded figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum

from findash.common.fx_rates import RateBook, money_round
from findash.common.money import round_money
from findash.common.months import month_end, month_start
from findash.dashboard.trends.schemas import NetWorthPoint, NetWorthSeries, TrendWarning
from findash.ledger.models import Account, DailyRollup, ExchangeRate, MonthlyRollup
from findash.tenancy.models import Tenant

LIABILITIES = {Account.Type.CREDIT_CARD, Account.Type.LOAN}
ZERO = Decimal(0)
_ONE_DAY = timedelta(days=1)


def point_dates(*, end: date, months: int) -> list[date]:
    """The month ends of the ``months`` months up to ``end``'s; the last one is ``end``."""
    firsts = []
    month = month_start(end)
    for _ in range(months):
        firsts.append(month)
        month = month_start(month - _ONE_DAY)
    return [month_end(first) for first in reversed(firsts[1:])] + [end]


def _rate_book(currencies: set[str]) -> RateBook:
    rows = ExchangeRate.objects.filter(base__in=currencies, quote__in=currencies).values_list(
        "date", "base", "quote", "rate"
    )
    return RateBook(rows)


def net_worth_series_get(*, tenant: Tenant, end: date, months: int) -> NetWorthSeries:
    base = tenant.base_currency
    days = point_dates(end=end, months=months)
    last_month = month_start(end)
    accounts = list(
        Account.objects.order_by("id").values_list("id", "type", "currency", "opening_balance")
    )
    # Sum of each account's amounts per whole month before the last point's month.
    monthly: dict[date, dict[int, Decimal]] = defaultdict(dict)
    for account_id, month, total in (
        MonthlyRollup.objects.filter(month__lt=last_month)
        .values("account_id", "month")
        .annotate(total=Sum("total"))
        .values_list("account_id", "month", "total")
    ):
        monthly[month][account_id] = total
    partial = dict(
        DailyRollup.objects.filter(day__gte=last_month, day__lte=end)
        .values("account_id")
        .annotate(total=Sum("total"))
        .values_list("account_id", "total")
    )
    rates = _rate_book({currency for _, _, currency, _ in accounts} | {base})
    missing: set[str] = set()

    balances = {account_id: opening for account_id, _, _, opening in accounts}
    pending = sorted(monthly)
    points = []
    for day in days:
        # Every whole month up to this point's (all of them before the last point).
        while pending and (day == end or pending[0] <= month_start(day)):
            for account_id, total in monthly[pending.pop(0)].items():
                balances[account_id] += total
        at_day = dict(balances)
        if day == end:
            for account_id, total in partial.items():
                at_day[account_id] += total
        assets = liabilities = ZERO
        for account_id, type_, currency, _ in accounts:
            if currency == base:
                converted = round_money(at_day[account_id], base)
            else:
                rate = rates.rate_on(currency, base, day)
                if rate is None:
                    missing.add(currency)
                    continue
                converted = money_round(Fraction(at_day[account_id]) * rate.value, base)
            if type_ in LIABILITIES:
                liabilities -= converted
            else:
                assets += converted
        assets, liabilities = round_money(assets, base), round_money(liabilities, base)
        points.append(
            NetWorthPoint(
                date=day,
                total_assets=assets,
                total_liabilities=liabilities,
                net_worth=assets - liabilities,
            )
        )
    warnings = [
        TrendWarning(
            code="missing_exchange_rate",
            currency=currency,
            target_currency=base,
            message=(
                f"no {currency}->{base} exchange rate on or before some point dates; "
                f"those {currency} balances are left out of the points"
            ),
        )
        for currency in sorted(missing)
    ]
    return NetWorthSeries(currency=base, points=points, warnings=warnings)
