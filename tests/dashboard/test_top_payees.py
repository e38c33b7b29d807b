"""Top payees of a single-currency tenant, ranked from the packed blocks of spans of months, equal
the naive recomputation for periods of every shape, before and after back-dated edits."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from findash.ledger import payee_packed
from findash.ledger.payee_spans import months_cover, spans_containing
from findash.ledger.services import transaction_delete, transaction_update
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient
from tests.dashboard.test_against_naive import assert_matches_naive

# Names whose order differs between code points and a linguistic collation, and a tie.
PAYEES = ["Zed", "apple", "Apple", "Äpfel", "bistro", "Bistro", "Cafe", "Deli", "Épicerie"]
PAYEES += [f"Shop {i}" for i in range(8)]
PERIODS = [
    (date(2024, 1, 1), date(2026, 6, 30)),  # whole years and a span
    (date(2023, 12, 20), date(2026, 6, 12)),  # mid-month edges around years
    (date(2025, 2, 1), date(2025, 11, 30)),  # Feb, Mar-Apr, May-Aug, Sep-Oct, Nov
    (date(2024, 3, 17), date(2025, 1, 9)),  # the benchmark's custom range
    (date(2025, 6, 15), date(2025, 6, 15)),  # one day: ranked without grouping
    (date(2025, 2, 1), date(2025, 2, 28)),  # one month: ranked without grouping
    (date(2025, 9, 1), date(2025, 12, 31)),  # one span of four months
    (date(2016, 7, 1), date(2026, 6, 30)),  # ten years: all time less nothing
    (date(2023, 6, 1), date(2026, 6, 12)),  # all time less the last days
    (date(2024, 1, 15), date(2026, 6, 20)),  # all time less days at both ends
    (date(2025, 6, 15), date(2027, 2, 10)),  # up to the last day: a window of whole years
    (date(2026, 6, 1), date(2026, 6, 29)),  # the last month up to a day before the last one
]


def test_months_cover_takes_the_fewest_aligned_spans() -> None:
    def months(first: date, count: int) -> list[date]:
        found = [first]
        while len(found) < count:
            found.append((found[-1] + timedelta(days=32)).replace(day=1))
        return found

    assert months_cover([]) == ([], [])
    assert months_cover(months(date(2025, 1, 1), 12)) == ([(date(2025, 1, 1), 12)], [])
    assert months_cover(months(date(2025, 12, 1), 11)) == (
        [(date(2026, 1, 1), 8), (date(2026, 9, 1), 2)],
        [date(2025, 12, 1)],
    )
    assert months_cover(months(date(2024, 4, 1), 9)) == (
        [(date(2024, 5, 1), 4), (date(2024, 9, 1), 4)],
        [date(2024, 4, 1)],
    )
    assert months_cover(months(date(2025, 2, 1), 10)) == (
        [(date(2025, 3, 1), 2), (date(2025, 5, 1), 4), (date(2025, 9, 1), 2)],
        [date(2025, 2, 1), date(2025, 11, 1)],
    )
    assert months_cover([date(2025, 1, 1), date(2025, 3, 1)]) == (
        [],
        [date(2025, 1, 1), date(2025, 3, 1)],
    )
    assert months_cover(months(date(2023, 1, 1), 36))[0] == [
        (date(2023, 1, 1), 12),
        (date(2024, 1, 1), 12),
        (date(2025, 1, 1), 12),
    ]


def test_spans_containing_a_month() -> None:
    assert spans_containing(date(2026, 3, 1)) == [
        (date(2026, 1, 1), 12),
        (date(2026, 1, 1), 8),
        (date(2026, 1, 1), 4),
        (date(2026, 3, 1), 2),
    ]
    assert spans_containing(date(2026, 10, 1)) == [
        (date(2026, 1, 1), 12),
        (date(2026, 9, 1), 4),
        (date(2026, 9, 1), 2),
    ]


def test_every_month_run_is_covered_exactly_once() -> None:
    rng = random.Random(9)
    for _ in range(300):
        first = date(rng.randrange(2020, 2027), rng.randrange(1, 13), 1)
        run = [first]
        for _ in range(rng.randrange(0, 40)):
            run.append((run[-1] + timedelta(days=32)).replace(day=1))
        spans, singles = months_cover(run)
        covered = list(singles)
        for start, size in spans:
            assert start.month - 1 + size <= 12 and (start.month - 1) % size == 0
            month = start
            for _ in range(size):
                covered.append(month)
                month = (month + timedelta(days=32)).replace(day=1)
        assert sorted(covered) == run


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_payees", [1024, 3])
def test_top_payees_of_one_currency_match_the_naive_computation(
    chunk_payees: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # with 3 payees to a packed chunk, every block spans several chunks and ties cross them
    monkeypatch.setattr(payee_packed, "CHUNK_PAYEES", chunk_payees)
    user = factories.make_user("payees", base_currency="USD")
    tenant = factories.personal_tenant(user)
    checking = factories.make_account(tenant, currency="USD")
    card = factories.make_account(tenant, type="credit_card", currency="USD")
    food, rent = (factories.make_category(tenant, kind="expense") for _ in range(2))
    salary = factories.make_category(tenant, kind="income")
    rng = random.Random(2024)
    made = []
    for _ in range(160):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 912))
        payee = rng.choice(PAYEES)
        category = rng.choice([food, rent, salary, None])
        cents = rng.choice([-rng.randrange(100, 20000), rng.randrange(100, 3000)])  # refunds
        made.append(
            factories.make_transaction(
                tenant,
                rng.choice([checking, card]),
                date=day,
                amount=Decimal(cents).scaleb(-2),
                category=category,
                payee=payee,
            )
        )
    # A tie: two payees spending exactly the same, ranked by name in code-point order.
    for payee in ("Tie b", "Tie B"):
        factories.make_transaction(
            tenant,
            checking,
            date=date(2025, 6, 15),
            amount=Decimal("-900.00"),
            category=food,
            payee=payee,
        )
    client = ApiClient(user)
    for start, end in PERIODS:
        assert_matches_naive(client, tenant, start, end)
    # Back-dated edits move spending across days, months, spans and years.
    with tenant_scope(tenant):
        transaction_update(
            tenant=tenant,
            transaction_id=made[0].pk,
            changes={"date": date(2025, 12, 31), "payee": "Zed", "amount": Decimal("-777.77")},
        )
        transaction_update(
            tenant=tenant, transaction_id=made[1].pk, changes={"date": date(2024, 2, 29)}
        )
        transaction_delete(tenant=tenant, transaction_id=made[2].pk)
    for start, end in PERIODS:
        assert_matches_naive(client, tenant, start, end)
