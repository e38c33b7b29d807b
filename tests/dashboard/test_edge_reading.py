"""A partial month read as the whole month less its other days stays exact, even when the
kept data bounds are stale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from findash.dashboard.edge_reading import EdgeReading, edge_readings
from findash.dashboard.periods import Period
from findash.dashboard.selectors import dashboard_data_get
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World

NOV = date(2026, 11, 1)


def test_a_month_whose_other_days_hold_no_data_is_read_whole() -> None:
    edges = [(date(2026, 10, 17), date(2026, 10, 31)), (NOV, date(2026, 11, 15))]
    bounds = (date(2024, 1, 1), date(2026, 11, 15))  # nothing after today
    assert edge_readings(edges, bounds) == [
        EdgeReading(date(2026, 10, 1), False, [edges[0]]),  # 16 other days hold data
        EdgeReading(NOV, True, [(date(2026, 11, 16), date(2026, 11, 30))]),
    ]
    assert edge_readings(edges[1:], None) == [EdgeReading(NOV, False, edges[1:])]  # no data
    middle = [(date(2026, 11, 10), date(2026, 11, 20))]  # 11 days against 19 others: as is
    assert edge_readings(middle, bounds) == [EdgeReading(NOV, False, middle)]


def _figures(world: World, period: Period) -> tuple[Decimal, Decimal, list[Decimal]]:
    tenant = world.owner_personal
    with tenant_scope(tenant):
        data = dashboard_data_get(tenant=tenant, period=period)
    return (
        data.summary.expenses,
        data.summary.net_worth,
        [a.outflow for a in data.accounts] + [a.balance for a in data.accounts],
    )


def test_stale_bounds_cost_rows_not_exactness(world: World) -> None:
    tenant = world.owner_personal
    cash = factories.make_account(tenant, opening_balance=Decimal("100.00"))
    food = factories.make_category(tenant)
    for day, amount in ((date(2026, 10, 20), "-1.10"), (date(2026, 11, 3), "-2.20")):
        factories.make_transaction(tenant, cash, date=day, amount=Decimal(amount), category=food)
    period = Period(date(2026, 10, 18), date(2026, 11, 10))
    assert _figures(world, period) == (
        Decimal("3.30"),
        Decimal("96.70"),
        [Decimal("3.30"), Decimal("96.70")],
    )
    # The kept bounds still end on 3 November, so November is read whole less 11-30
    # November: the new day after the period must be subtracted, the one inside added.
    for day, amount in ((date(2026, 11, 20), "-40.00"), (date(2026, 11, 5), "-0.01")):
        factories.make_transaction(tenant, cash, date=day, amount=Decimal(amount), category=food)
    with CaptureQueriesContext(connection) as captured:
        assert _figures(world, period) == (
            Decimal("3.31"),
            Decimal("96.69"),
            [Decimal("3.31"), Decimal("96.69")],
        )
    assert any("ledger_monthlyrollup" in q["sql"] and "UNION" in q["sql"] for q in captured)
