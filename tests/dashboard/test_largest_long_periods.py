"""largest_expenses over periods longer than the first walk (12 months): the older months,
read under the bound the newest months set, give exactly the naive ranking.

The naive ranking (tests/dashboard/naive.py) converts every raw outflow of the period and
sorts by (base value, id). The data puts the largest outflows in old months, repeats the
bound's own amount in old months with smaller ids (ties the id decides), mixes in refunds,
transfers and foreign currencies whose rate changes inside months.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findash.dashboard import largest
from findash.tenancy.models import Tenant
from tests import factories
from tests.conftest import ApiClient
from tests.dashboard.naive import Naive

DAY0 = date(2022, 1, 1)
SPAN = 1300  # days of data: about 43 months
_names = itertools.count()
# Few distinct amounts, so that ties (the bound's own amount among them) are common.
AMOUNTS = st.sampled_from([-25000, -10000, -10000, -999, -500, -500, -1, 300, 12000])


def _largest(client: ApiClient, start: date, end: date) -> list[dict[str, Any]]:
    response = client.get(f"/financial/dashboard/transactions?start={start}&end={end}")
    assert response.status_code == 200, response.content
    rows = response.json()["largest_expenses"]
    for row in rows:
        row.pop("created_at")
    return rows


def _naive(tenant: Tenant, start: date, end: date) -> list[dict[str, Any]]:
    naive = Naive(tenant, start, end)
    return naive.largest(naive.flows())


@st.composite
def long_datasets(draw: Any) -> dict[str, Any]:
    base = draw(st.sampled_from(["USD", "USD", "EUR"]))
    currencies = draw(
        st.lists(st.sampled_from([base, base, "JPY", "EUR", "USD"]), min_size=1, max_size=3)
    )
    txns = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(currencies) - 1),
                st.integers(0, SPAN),
                AMOUNTS | st.integers(-30000, 5000),
                st.booleans(),  # a transfer (to the first account) rather than a flow
            ),
            min_size=12,
            max_size=45,
        )
    )
    rates = draw(
        st.lists(
            st.tuples(st.integers(-40, SPAN), st.integers(5000, 30000)), min_size=1, max_size=10
        )
    )
    start = draw(st.integers(-400, 300))
    end = draw(st.integers(max(start + 400, 700), SPAN + 200))
    return {
        "base": base,
        "currencies": currencies,
        "txns": txns,
        "rates": rates,
        "start": DAY0 + timedelta(days=start),
        "end": DAY0 + timedelta(days=end),
    }


def _build(data: dict[str, Any]) -> tuple[Tenant, ApiClient]:
    user = factories.make_user(f"long{next(_names)}", base_currency=data["base"])
    tenant = factories.personal_tenant(user)
    accounts = [factories.make_account(tenant, currency=c) for c in data["currencies"]]
    for index, day, cents, transfer in data["txns"]:
        account = accounts[index]
        amount = Decimal(cents if account.currency != "JPY" else cents // 100 * 100).scaleb(-2)
        when = DAY0 + timedelta(days=day)
        if transfer and amount < 0:
            link = uuid.uuid4()
            factories.make_transaction(tenant, account, date=when, amount=amount, transfer_id=link)
            factories.make_transaction(
                tenant, accounts[0], date=when, amount=-amount, transfer_id=link
            )
        else:
            factories.make_transaction(tenant, account, date=when, amount=amount, payee="P")
    for foreign in {"EUR", "JPY", "USD"} - {data["base"]}:
        for day, value in dict(data["rates"]).items():  # one rate a day
            rate = Decimal(value).scaleb(-4) * (100 if foreign == "JPY" else 1)
            factories.make_rate(
                tenant, foreign, data["base"], str(rate), DAY0 + timedelta(days=day)
            )
    return tenant, ApiClient(user)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=long_datasets())
def test_long_periods_rank_like_the_naive_computation(data: dict[str, Any]) -> None:
    tenant, client = _build(data)
    assert _largest(client, data["start"], data["end"]) == _naive(
        tenant, data["start"], data["end"]
    )


@pytest.mark.django_db
def test_old_outflows_tied_at_the_bound_win_on_their_smaller_ids() -> None:
    user = factories.make_user("long-ties")
    tenant = factories.personal_tenant(user)
    account = factories.make_account(tenant)
    end = date(2026, 11, 15)
    # Written first, so their ids are smaller: 5 old months, each with 3 rows of -10.00
    # (the newest months' 10th best) and one of -9.99 that must not rank.
    for month in range(5):
        when = date(2019 + month, 3, 10)
        for _ in range(3):
            factories.make_transaction(tenant, account, date=when, amount=Decimal("-10.00"))
        factories.make_transaction(tenant, account, date=when, amount=Decimal("-9.99"))
    # The newest 12 months: 12 rows of -10.00, one per month, and a refund.
    for month in range(12):
        when = date(2025 + (month + 11) // 12, (month + 11) % 12 + 1, 2)
        factories.make_transaction(tenant, account, date=when, amount=Decimal("-10.00"))
    factories.make_transaction(tenant, account, date=date(2026, 11, 1), amount=Decimal("50.00"))
    client = ApiClient(user)
    start = date(2016, 11, 16)
    found = _largest(client, start, end)
    assert found == _naive(tenant, start, end)
    assert [row["date"][:4] for row in found] == ["2019"] * 3 + ["2020"] * 3 + ["2021"] * 3 + [
        "2022"
    ]


@pytest.mark.django_db
def test_an_old_month_with_a_higher_rate_outranks_larger_amounts() -> None:
    user = factories.make_user("long-rates")
    tenant = factories.personal_tenant(user)
    usd, eur = factories.make_account(tenant), factories.make_account(tenant, currency="EUR")
    for month in range(1, 13):  # the newest 12 months: -100.00 USD each
        factories.make_transaction(
            tenant, usd, date=date(2026, month, 5), amount=Decimal("-100.00")
        )
    factories.make_rate(tenant, "EUR", "USD", "2.0000", date(2020, 6, 1))
    factories.make_rate(tenant, "EUR", "USD", "0.5000", date(2020, 6, 20))
    # -60 EUR on 10 June is -120 USD (ranks first); the same on 25 June is -30 USD (does not).
    factories.make_transaction(tenant, eur, date=date(2020, 6, 10), amount=Decimal("-60.00"))
    factories.make_transaction(tenant, eur, date=date(2020, 6, 25), amount=Decimal("-60.00"))
    start, end = date(2017, 1, 1), date(2026, 12, 31)
    found = _largest(ApiClient(user), start, end)
    assert found == _naive(tenant, start, end)
    assert (found[0]["amount"], found[0]["amount_base"]) == ("-60.00", "-120.00")
    assert [row["currency"] for row in found].count("EUR") == 1


@pytest.mark.django_db
def test_a_month_whose_rate_rises_is_read_past_its_most_negative_amounts() -> None:
    """In a month whose rate changes, the 11 most negative amounts need not be the largest in
    base currency: the month is read again down to the amount the 10th best allows, on the
    walk's index (SQLite's planner would otherwise scan the tenant's rows)."""
    user = factories.make_user("long-split")
    tenant = factories.personal_tenant(user)
    eur = factories.make_account(tenant, currency="EUR")
    factories.make_rate(tenant, "EUR", "USD", "0.5000", date(2026, 6, 1))
    factories.make_rate(tenant, "EUR", "USD", "3.0000", date(2026, 6, 20))
    for day in range(1, 13):  # -100.00 EUR = -50.00 USD each
        factories.make_transaction(tenant, eur, date=date(2026, 6, day), amount=Decimal("-100"))
    for _ in range(3):  # -40.00 EUR = -120.00 USD each
        factories.make_transaction(tenant, eur, date=date(2026, 6, 25), amount=Decimal("-40"))
    start, end = date(2026, 6, 1), date(2026, 6, 30)
    with CaptureQueriesContext(connection) as queries:
        found = _largest(ApiClient(user), start, end)
    assert found == _naive(tenant, start, end)
    assert [row["amount_base"] for row in found[:4]] == ["-120.00"] * 3 + ["-50.00"]
    if connection.vendor == "sqlite":
        walks = [q["sql"] for q in queries if '"ledger_transaction"."month"' in q["sql"]]
        assert len(walks) >= 2
        assert all('INDEXED BY "txn_nontransfer_by_month"' in sql for sql in walks)


@pytest.mark.django_db
def test_older_months_are_read_under_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk of the older months asks only for what can still rank (not 11 a month)."""
    user = factories.make_user("long-bound")
    tenant = factories.personal_tenant(user)
    account = factories.make_account(tenant)
    for year in range(2017, 2027):
        for month in range(1, 13):
            for cents in (-500, -400, -300):
                factories.make_transaction(
                    tenant, account, date=date(year, month, 3), amount=Decimal(cents).scaleb(-2)
                )
    fetched: list[int] = []
    original = largest.walk_slices

    def counting(slices: list[Any], templates: Any) -> dict[Any, list[Any]]:
        found = original(slices, templates)
        fetched.append(sum(len(rows) for rows in found.values()))
        return found

    monkeypatch.setattr(largest, "walk_slices", counting)
    start, end = date(2017, 1, 1), date(2026, 12, 31)
    assert _largest(ApiClient(user), start, end) == _naive(tenant, start, end)
    # The newest 12 months give 36 rows; the 108 older ones only their -5.00 rows.
    assert fetched == [36, 108]


@pytest.mark.django_db
def test_months_read_past_their_most_negative_amounts_are_read_in_one_statement() -> None:
    user = factories.make_user("long-split-two")
    tenant = factories.personal_tenant(user)
    eur = factories.make_account(tenant, currency="EUR")
    for month in (6, 7):
        factories.make_rate(tenant, "EUR", "USD", "0.5000", date(2026, month, 1))
        factories.make_rate(tenant, "EUR", "USD", "3.0000", date(2026, month, 20))
        for day in range(1, 13):  # -100.00 EUR = -50.00 USD each
            factories.make_transaction(
                tenant, eur, date=date(2026, month, day), amount=Decimal("-100")
            )
        for day in (25, 26):  # -40.00 EUR = -120.00 USD each
            factories.make_transaction(
                tenant, eur, date=date(2026, month, day), amount=Decimal("-40")
            )
    start, end = date(2026, 6, 1), date(2026, 7, 31)
    with CaptureQueriesContext(connection) as queries:
        found = _largest(ApiClient(user), start, end)
    assert found == _naive(tenant, start, end)
    assert [row["amount_base"] for row in found[:5]] == ["-120.00"] * 4 + ["-50.00"]
    walks = [q["sql"] for q in queries if '"ledger_transaction"."month"' in q["sql"]]
    assert len(walks) == 2  # the 11 most negative of each month, then both months further


@pytest.mark.django_db
def test_months_before_the_first_flow_are_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The complete dashboard reads the accounts' monthly rows first; their first month
    (of any account) bounds the walk: a 10-year period walks the months from it."""
    user = factories.make_user("long-first")
    tenant = factories.personal_tenant(user)
    account, other = factories.make_account(tenant), factories.make_account(tenant)
    for month in range(1, 13):
        for year, cents in ((2025, -700), (2026, -300)):
            factories.make_transaction(
                tenant, account, date=date(year, month, 9), amount=Decimal(cents).scaleb(-2)
            )
    factories.make_transaction(tenant, other, date=date(2019, 5, 2), amount=Decimal("-9.00"))
    walked: list[int] = []
    original = largest.walk_slices

    def counting(slices: list[Any], templates: Any) -> dict[Any, list[Any]]:
        walked.append(len(slices))
        return original(slices, templates)

    monkeypatch.setattr(largest, "walk_slices", counting)
    start, end = date(2017, 1, 1), date(2026, 12, 31)
    response = ApiClient(user).get(f"/financial/dashboard?start={start}&end={end}")
    assert response.status_code == 200, response.content
    found = response.json()["transactions"]["largest_expenses"]
    for row in found:
        row.pop("created_at")
    assert found == _naive(tenant, start, end)
    assert [row["amount"] for row in found] == ["-9.00"] + ["-7.00"] * 9
    assert walked == [12, 80]  # 2026, then May 2019 to 2025 (not from January 2017)
