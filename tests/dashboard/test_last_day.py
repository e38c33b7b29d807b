"""A period's last partial month read as the whole month less the days after the period
(``dashboard.last_day``; top payees and the converted period totals): exact whatever the
kept last day says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from findash.dashboard import converted_payees
from findash.dashboard.last_day import month_less_after
from findash.dashboard.periods import Period
from findash.dashboard.reference import ReferenceData
from findash.ledger.rollup_rebuild import rollups_rebuild
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World
from tests.dashboard.test_against_naive import assert_matches_naive

START, END = date(2025, 12, 10), date(2026, 1, 20)


def _tenant(world: World) -> tuple[Any, Any, Any, Any]:
    tenant = world.owner_personal
    usd = factories.make_account(tenant)
    euro = factories.make_account(tenant, currency="EUR")
    factories.make_rate(tenant, "EUR", "USD", "1.10", date(2025, 12, 1))
    factories.make_rate(tenant, "USD", "EUR", "0.9", date(2026, 1, 12))
    for day, cents in ((date(2025, 12, 12), -1234), (date(2026, 1, 5), -999), (END, -3333)):
        for account, payee in ((usd, "Shop"), (euro, "Shop"), (euro, "Cafe")):
            factories.make_transaction(
                tenant, account, amount=Decimal(cents).scaleb(-2), date=day, payee=payee
            )
    rollups_rebuild(tenant=tenant)
    return tenant, usd, euro, world.client(world.owner)


def test_the_last_edge_is_read_as_its_month_when_nothing_is_dated_after(world: World) -> None:
    tenant, _usd, _euro, client = _tenant(world)
    assert month_less_after(Period(START, END), END) == (
        date(2026, 1, 1),
        date(2026, 1, 21),
        date(2026, 1, 31),
    )
    assert month_less_after(Period(START, END), date(2026, 1, 21)) is None
    assert month_less_after(Period(START, date(2026, 1, 31)), END) is None  # no edge there
    with CaptureQueriesContext(connection) as queries:
        assert_matches_naive(client, tenant, START, END)
    payee_reads = [q["sql"] for q in queries if "payeemonthlyrollup" in q["sql"]]
    assert payee_reads, "the base currency's last month read whole"


def test_a_stale_last_day_still_gives_the_exact_answer(world: World) -> None:
    """Flows dated after the period in its last month, written after the last day was kept:
    the month less those days, subtracted as read (amounts, counts, converted intervals)."""
    tenant, usd, euro, client = _tenant(world)
    assert_matches_naive(client, tenant, START, END)  # keeps the last day: END
    pound = factories.make_account(tenant, currency="GBP")  # no rate: a warning if in period
    for account, cents in ((euro, -50000), (pound, -70000), (usd, -60000), (usd, 2500)):
        factories.make_transaction(
            tenant, account, amount=Decimal(cents).scaleb(-2), date=date(2026, 1, 25), payee="Shop"
        )
    factories.make_transaction(
        tenant, euro, amount=Decimal("-1.01"), date=date(2026, 1, 28), payee="Cafe"
    )
    rollups_rebuild(tenant=tenant)
    assert_matches_naive(client, tenant, START, END)
    assert_matches_naive(client, tenant, START, date(2026, 1, 31))
    # The month's row records GBP's first day without a rate, after the period: no warning
    # from the payees (the account's own balance warns, which hides this in the answer).
    asked: list[tuple[str, str, date]] = []

    def factor(currency: str, target: str, day: date) -> None:
        asked.append((currency, target, day))

    with tenant_scope(tenant):
        ref = ReferenceData(tenant=tenant, period=Period(START, END))
        assert [payee for payee, *_ in converted_payees._converted(ref, factor)]
        assert asked == []
        ref = ReferenceData(tenant=tenant, period=Period(START, date(2026, 1, 31)))
        converted_payees._converted(ref, factor)
        assert asked == [("GBP", "USD", date(2026, 1, 25))]
