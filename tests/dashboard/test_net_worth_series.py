"""GET /financial/net-worth against a naive recomputation over every raw row."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest

from findash.flags.services import flag_update
from findash.ledger.models import Account, ExchangeRate, Transaction
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World


def _naive_rate(rates: list[ExchangeRate], source: str, target: str, day: date) -> Fraction | None:
    best: tuple[date, bool, Fraction] | None = None
    for r in rates:
        if r.date > day:
            continue
        if (r.base, r.quote) == (source, target):
            candidate = (r.date, True, Fraction(r.rate))
        elif (r.base, r.quote) == (target, source):
            candidate = (r.date, False, 1 / Fraction(r.rate))
        else:
            continue
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return None if best is None else best[2]


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )


def _naive_net_worth(tenant: Tenant, day: date) -> dict[str, str]:
    """Balance = opening + every amount dated <= day, converted per account, rounded once."""
    with tenant_scope(tenant):
        accounts = list(Account.objects.all())
        txns = list(Transaction.objects.all())
        rates = list(ExchangeRate.objects.all())
    assets = liabilities = Decimal(0)
    for account in accounts:
        balance = account.opening_balance + sum(
            (t.amount for t in txns if t.account_id == account.id and t.date <= day), Decimal(0)
        )
        if account.currency == tenant.base_currency:
            converted = balance
        else:
            rate = _naive_rate(rates, account.currency, tenant.base_currency, day)
            if rate is None:
                continue
            converted = _cents(Fraction(balance) * rate)
        if account.type in ("credit_card", "loan"):
            liabilities -= converted
        else:
            assets += converted
    return {
        "total_assets": f"{assets:.2f}",
        "total_liabilities": f"{liabilities:.2f}",
        "net_worth": f"{assets - liabilities:.2f}",
    }


def _seed(tenant: Tenant) -> None:
    checking = factories.make_account(tenant, opening_balance=Decimal("1000.00"))
    card = factories.make_account(tenant, type="credit_card", opening_balance=Decimal("-50.00"))
    euro = factories.make_account(tenant, currency="EUR", opening_balance=Decimal("100.01"))
    food = factories.make_category(tenant, name="Food")
    factories.make_rate(tenant, "EUR", "USD", "1.0833333333", date(2025, 11, 20))
    factories.make_rate(tenant, "USD", "EUR", "0.9", date(2026, 2, 10))  # inverse serves EUR→USD
    rows = [
        (checking, "2500.00", date(2025, 10, 3)),
        (card, "-45.55", date(2025, 12, 31)),
        (euro, "-0.03", date(2026, 1, 1)),
        (checking, "-120.10", date(2026, 2, 14)),
        (euro, "33.33", date(2026, 3, 2)),
        (card, "-9.99", date(2026, 3, 20)),  # after the last point: not in it
    ]
    for account, amount, day in rows:
        factories.make_transaction(tenant, account, amount=Decimal(amount), category=food, date=day)


def test_each_point_equals_a_naive_recomputation_and_the_last_equals_the_summary(
    world: World,
) -> None:
    _seed(world.org)
    factories.make_account(world.outsider_personal, opening_balance=Decimal("999.00"))
    client = world.client(world.viewer, world.org)  # reading is for every role

    answer = client.get("/financial/net-worth?end=2026-03-15&months=7")
    assert answer.status_code == 200
    series = answer.json()
    assert series["currency"] == "USD"
    days = [p["date"] for p in series["points"]]
    assert days == [
        "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31",
        "2026-01-31", "2026-02-28", "2026-03-15",
    ]  # fmt: skip
    for point in series["points"]:
        expected = _naive_net_worth(world.org, date.fromisoformat(point["date"]))
        assert {k: point[k] for k in expected} == expected, point["date"]
    # Before the first EUR rate the EUR account is left out, and that is said.
    assert [w["currency"] for w in series["warnings"]] == ["EUR"]

    summary = client.get("/financial/dashboard/summary?start=2026-03-01&end=2026-03-15").json()
    assert series["points"][-1]["net_worth"] == summary["net_worth"]
    assert series["points"][-1]["total_assets"] == summary["total_assets"]


def test_default_is_twelve_months_to_today_and_a_write_changes_the_etag(world: World) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant, opening_balance=Decimal("10.00"))
    client = world.client(world.owner)
    first = client.get("/financial/net-worth")
    assert len(first.json()["points"]) == 12
    assert first.json()["points"][-1]["date"] == date.today().isoformat()
    assert first.json()["points"][-1]["net_worth"] == "10.00"
    etag = first["ETag"]
    assert client.get("/financial/net-worth", HTTP_IF_NONE_MATCH=etag).status_code == 304

    answer = client.post(
        "/transactions",
        {"account_id": account.id, "date": date.today().isoformat(), "amount": "5.25",
         "currency": "USD"},
    )  # fmt: skip
    assert answer.status_code == 201
    changed = client.get("/financial/net-worth", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["points"][-1]["net_worth"] == "15.25"


def test_an_outsider_never_sees_the_tenants_series(world: World) -> None:
    _seed(world.org)
    outsider = world.client(world.outsider, world.org)
    assert outsider.get("/financial/net-worth").status_code == 403
    own = world.client(world.outsider).get("/financial/net-worth?end=2026-03-15").json()
    assert {p["net_worth"] for p in own["points"]} == {"0.00"}


@pytest.mark.parametrize(
    ("query", "field"),
    [("months=0", "months"), ("months=121", "months"), ("end=2026-02-30", "end")],
)
def test_bad_query_is_a_422_naming_the_field(world: World, query: str, field: str) -> None:
    answer = world.client(world.owner).get(f"/financial/net-worth?{query}")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == field


def test_the_dashboard_flag_off_hides_the_series(world: World) -> None:
    flag_update(key="dashboard", deny=[world.org.public_id], actor="test")
    answer = world.client(world.owner, world.org).get("/financial/net-worth")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "feature 'dashboard' is disabled"}


def test_month_ends_follow_the_calendar() -> None:
    from findash.dashboard.trends.selectors import point_dates

    days = point_dates(end=date(2024, 3, 1), months=3)
    assert days == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 1)]
    for day in days[:-1]:
        assert day.day == calendar.monthrange(day.year, day.month)[1]
        assert (day + timedelta(days=1)).day == 1
