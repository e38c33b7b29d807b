"""Every field of every dashboard endpoint equals the naive recomputation in naive.py.

Randomized with hypothesis: transfers, refunds, uncategorized flows, subcategories, several
currencies with rates changing mid-month (and missing), rollover budgets in other currencies,
periods starting and ending mid-month, writes changed and deleted after creation, empty
tenants and single-account tenants.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findash.ledger.rollup_rebuild import rollups_verify
from findash.ledger.services import transaction_delete, transaction_update
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient
from tests.dashboard.naive import Naive

PARTS = ("summary", "accounts", "transactions", "budgets")
DAY0 = date(2025, 11, 1)
SPAN = 120  # days of data
_names = itertools.count()

ACCOUNT_TYPES = ["checking", "savings", "cash", "investment", "credit_card", "loan", "other"]


def _amount(cents: int, currency: str) -> Decimal:
    if currency == "JPY":
        return Decimal(cents // 100).quantize(Decimal("0.01"))
    return Decimal(cents).scaleb(-2)


@st.composite
def datasets(draw: Any) -> dict[str, Any]:
    base = draw(st.sampled_from(["USD", "USD", "EUR", "JPY"]))
    currencies = st.sampled_from([base, base, "USD", "EUR", "GBP", "JPY"])
    accounts = draw(
        st.lists(
            st.tuples(st.sampled_from(ACCOUNT_TYPES), currencies, st.integers(-50000, 500000)),
            max_size=4,
        )
    )
    categories = draw(
        st.lists(
            st.tuples(st.sampled_from(["income", "expense", "expense"]), st.integers(0, 5)),
            max_size=5,
        )
    )
    n_acc, n_cat = len(accounts), len(categories)
    txns = []
    if n_acc:
        txns = draw(
            st.lists(
                st.tuples(
                    st.integers(0, n_acc - 1),
                    st.integers(0, SPAN),
                    st.integers(-60000, 40000),
                    st.none() | st.integers(0, max(n_cat - 1, 0)) if n_cat else st.none(),
                    st.sampled_from(["", "Acme", "Bistro", "Cafe", "Deli"]),
                ),
                min_size=5,
                max_size=40,
            )
        )
    transfers = []
    if n_acc >= 2:
        transfers = draw(
            st.lists(
                st.tuples(
                    st.integers(0, n_acc - 1),
                    st.integers(0, n_acc - 1),
                    st.integers(0, SPAN),
                    st.integers(1, 30000),
                ),
                max_size=3,
            )
        )
    # GBP never has a rate: its amounts are always left out with a warning.
    # Rates are mostly between the base and another currency, often several a month.
    raw_rates = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["USD", "EUR", "JPY"]),
                st.booleans(),
                st.integers(-20, SPAN),
                st.integers(1, 2_000_000),
            ),
            min_size=3,
            max_size=16,
        )
    )
    rates = []
    for other, inverse, day, value in raw_rates:
        pair = (other, base) if other != base else ("EUR", "USD")
        rates.append((*(pair[::-1] if inverse else pair), day, value))
    budgets = []
    if n_cat:
        budgets = draw(
            st.lists(
                st.tuples(
                    st.integers(0, n_cat - 1),
                    st.integers(0, 30000),
                    st.sampled_from([base, base, "EUR", "USD"]),
                    st.integers(50, 120),
                    st.sampled_from(["none", "surplus", "full"]),
                    st.integers(-30, SPAN),
                ),
                max_size=3,
            )
        )
    edits = draw(st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.integers(-500, 500))))
    start = draw(st.integers(0, SPAN))
    length = draw(st.integers(0, 150))
    return {
        "base": base,
        "accounts": accounts,
        "categories": categories,
        "txns": txns,
        "transfers": transfers,
        "rates": rates,
        "budgets": budgets,
        "edits": edits[:4],
        "start": DAY0 + timedelta(days=start),
        "end": DAY0 + timedelta(days=start + length),
    }


def build(data: dict[str, Any]) -> tuple[Tenant, ApiClient]:
    user = factories.make_user(f"prop{next(_names)}", base_currency=data["base"])
    tenant = factories.personal_tenant(user)
    accounts = [
        factories.make_account(
            tenant, type=kind, currency=cur, opening_balance=_amount(opening, cur)
        )
        for kind, cur, opening in data["accounts"]
    ]
    categories: list[Any] = []
    for kind, parent in data["categories"]:
        parent_obj = categories[parent] if parent < len(categories) else None
        categories.append(factories.make_category(tenant, kind=kind, parent=parent_obj))
    made = []
    for acc, day, cents, cat, payee in data["txns"]:
        account = accounts[acc]
        made.append(
            factories.make_transaction(
                tenant,
                account,
                date=DAY0 + timedelta(days=day),
                amount=_amount(cents, account.currency),
                category=categories[cat] if cat is not None else None,
                payee=payee,
            )
        )
    for source, target, day, cents in data["transfers"]:
        if source == target:
            continue
        link = uuid.uuid4()
        for index, sign in ((source, -1), (target, 1)):
            account = accounts[index]
            factories.make_transaction(
                tenant,
                account,
                date=DAY0 + timedelta(days=day),
                amount=_amount(sign * cents, account.currency),
                transfer_id=link,
                payee="Acme",
            )
    seen = set()
    for base, quote, day, value in data["rates"]:
        if base == quote or (base, quote, day) in seen:
            continue
        seen.add((base, quote, day))
        factories.make_rate(
            tenant, base, quote, str(Decimal(value).scaleb(-4)), DAY0 + timedelta(days=day)
        )
    for cat, cents, cur, threshold, rollover, day in data["budgets"]:
        factories.make_budget(
            tenant,
            categories[cat],
            amount=_amount(cents, cur),
            currency=cur,
            alert_threshold=Decimal(threshold),
            rollover=rollover,
            start_date=DAY0 + timedelta(days=day),
        )
    with tenant_scope(tenant):  # the scope the API's auth enters for each request
        for index, delete, shift in data["edits"]:
            if not made:
                break
            txn = made[index % len(made)]
            if delete:
                transaction_delete(tenant=tenant, transaction_id=txn.pk)
                made.remove(txn)
            else:
                cents = int(txn.amount * 100) + shift * 100
                transaction_update(
                    tenant=tenant,
                    transaction_id=txn.pk,
                    changes={
                        "amount": _amount(cents, txn.currency),
                        "date": txn.date + timedelta(days=shift % 40),
                        "category_id": None,
                    },
                )
    return tenant, ApiClient(user)


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    body.pop("generated_at")
    for row in body["transactions"]["largest_expenses"]:
        row.pop("created_at")
    body["warnings"] = [
        {k: w[k] for k in ("code", "currency", "target_currency")} for w in body["warnings"]
    ]
    return body


def assert_matches_naive(client: ApiClient, tenant: Tenant, start: date, end: date) -> None:
    query = f"?start={start.isoformat()}&end={end.isoformat()}"
    response = client.get("/financial/dashboard" + query)
    assert response.status_code == 200, response.content
    body = response.json()
    for part in PARTS:
        assert client.get(f"/financial/dashboard/{part}{query}").json() == body[part], part
    expected = Naive(tenant, start, end).dashboard()
    actual = _comparable(body)
    for key in expected:
        assert actual[key] == expected[key], key
    assert rollups_verify(tenant=tenant) == []


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=datasets())
def test_every_field_matches_the_naive_computation(data: dict[str, Any]) -> None:
    tenant, client = build(data)
    assert_matches_naive(client, tenant, data["start"], data["end"])


@pytest.mark.django_db
def test_empty_tenant_matches() -> None:
    tenant, client = build(
        {
            "base": "USD",
            "accounts": [],
            "categories": [],
            "txns": [],
            "transfers": [],
            "rates": [],
            "budgets": [],
            "edits": [],
        }
    )
    assert_matches_naive(client, tenant, date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.django_db
def test_single_account_tenant_over_whole_and_partial_months() -> None:
    data = {
        "base": "USD",
        "accounts": [("checking", "USD", 10000)],
        "categories": [("expense", 0), ("expense", 0), ("income", 9)],
        "txns": [
            (0, day, cents, cat, payee)
            for day, cents, cat, payee in [
                (1, -1234, 0, "Acme"),
                (20, 500, 0, "Acme"),
                (33, -999, 1, "Deli"),
                (45, 250000, 2, ""),
                (61, -1, None, "Cafe"),
                (62, 7, None, ""),
                (90, -4500, 1, "Deli"),
                (120, -300, 0, "Bistro"),
            ]
        ],
        "transfers": [],
        "rates": [],
        "budgets": [(0, 2000, "USD", 80, "full", 0), (0, 1000, "USD", 50, "surplus", 15)],
        "edits": [],
    }
    tenant, client = build(data)
    for start, end in [(0, 120), (15, 75), (30, 60), (31, 58), (44, 44)]:
        assert_matches_naive(
            client, tenant, DAY0 + timedelta(days=start), DAY0 + timedelta(days=end)
        )


@st.composite
def foreign_datasets(draw: Any) -> dict[str, Any]:
    """Dense multi-currency data: foreign accounts, rates changing inside most months."""
    foreign = st.sampled_from(["EUR", "JPY"])
    accounts = draw(
        st.lists(
            st.tuples(st.sampled_from(ACCOUNT_TYPES), foreign, st.integers(0, 90000)),
            min_size=1,
            max_size=3,
        )
    )
    rates = draw(
        st.lists(
            st.tuples(foreign, st.booleans(), st.integers(-10, SPAN), st.integers(5000, 30000)),
            min_size=2,
            max_size=12,
        )
    )
    txns = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(accounts) - 1),
                st.integers(0, SPAN),
                st.integers(-60000, 30000),
                st.none() | st.integers(0, 2),
                st.sampled_from(["", "Acme", "Bistro"]),
            ),
            min_size=3,
            max_size=30,
        )
    )
    budgets = draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),
                st.integers(0, 300).map(lambda v: v * 100),
                st.sampled_from(["USD", "EUR"]),
                st.just(80),
                st.sampled_from(["none", "surplus", "full"]),
                st.integers(-10, SPAN),
            ),
            max_size=2,
        )
    )
    start = draw(st.integers(0, 40))
    return {
        "base": "USD",
        "accounts": accounts,
        "categories": [("expense", 0), ("expense", 0), ("income", 9)],
        "txns": txns,
        "transfers": [],
        "rates": [
            (("USD", cur) if inverse else (cur, "USD")) + (day, value)
            for cur, inverse, day, value in rates
        ],
        "budgets": budgets,
        "edits": [],
        "start": DAY0 + timedelta(days=start),
        "end": DAY0 + timedelta(days=start + draw(st.integers(30, SPAN))),
    }


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=foreign_datasets())
def test_multi_currency_matches_the_naive_computation(data: dict[str, Any]) -> None:
    tenant, client = build(data)
    assert_matches_naive(client, tenant, data["start"], data["end"])
