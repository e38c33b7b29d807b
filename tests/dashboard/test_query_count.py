"""The complete dashboard costs a fixed number of queries, however much history there is."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from findash.dashboard.periods import Period
from findash.dashboard.selectors import dashboard_data_get
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World

MAX_QUERIES = 12


def _add_history(
    tenant: Tenant, months: int, per_month: int, first: date = date(2023, 1, 3)
) -> None:
    account = factories.make_account(tenant)
    card = factories.make_account(tenant, type="credit_card")
    food = factories.make_category(tenant)
    sub = factories.make_category(tenant, parent=food)
    factories.make_budget(tenant, food, rollover="full", start_date=date(2023, 1, 1))
    day = first
    for i in range(months * per_month):
        factories.make_transaction(
            tenant,
            (account, card)[i % 2],
            date=day + timedelta(days=(i * 28) // per_month),
            amount=Decimal(-(i % 50) - 1),
            category=(food, sub, None)[i % 3],
            payee=f"Payee {i % 7}",
        )


def _queries(tenant: Tenant, period: Period) -> int:
    with tenant_scope(tenant), CaptureQueriesContext(connection) as captured:
        dashboard_data_get(tenant=tenant, period=period)
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_history(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    small, large = world.owner_personal, world.outsider_personal
    # Two months inside both periods: the small tenant spends there too (ranking payees
    # reads their names; the largest outflows are read whole by id).
    _add_history(small, months=2, per_month=3, first=date(2025, 3, 3))
    _add_history(large, months=36, per_month=12)
    for period in (
        Period(date(2025, 1, 1), date(2025, 12, 31)),  # whole months: rollups only
        Period(date(2025, 1, 15), date(2025, 12, 20)),  # partial edges too
    ):
        assert _queries(small, period) == _queries(large, period)
        with tenant_scope(large), django_assert_max_num_queries(MAX_QUERIES):
            dashboard_data_get(tenant=large, period=period)


def test_http_dashboard_query_count_is_bounded(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _add_history(world.owner_personal, months=12, per_month=10)
    client = world.client(world.owner)
    with django_assert_max_num_queries(MAX_QUERIES + 8):  # + auth, flags, membership
        response = client.get("/financial/dashboard?start=2023-03-10&end=2024-02-20")
    assert response.status_code == 200
