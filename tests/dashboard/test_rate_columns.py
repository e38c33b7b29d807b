"""A rate book read as one row per pair (days and rates as text) answers like the book of
rows, and both answer as the rule says: the latest rate on or before the day, a rate
``A→B`` serving ``B→A`` as its inverse, the direct one winning on a day with both."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from findash.common.fx_rates import RateBook
from findash.dashboard.reference import every_rate
from findash.ledger.models import ExchangeRate
from findash.tenancy.scoping import tenant_scope
from tests.factories import make_rate, make_user, personal_tenant

Row = tuple[date, str, str, Decimal]
DAY0 = date(2026, 1, 1)
CURRENCIES = ["EUR", "GBP", "USD"]

rows = st.lists(
    st.tuples(
        st.integers(0, 60).map(lambda n: DAY0 + timedelta(days=n)),
        st.sampled_from(CURRENCIES),
        st.sampled_from(CURRENCIES),
        st.decimals("0.5", "2", places=6),
    ).filter(lambda r: r[1] != r[2]),
    max_size=30,
    unique_by=lambda r: (r[0], r[1], r[2]),
)
days = st.integers(-3, 63).map(lambda n: DAY0 + timedelta(days=n))


def _columns(everything: list[Row]) -> list[tuple[str, str, list[date], list[str]]]:
    by_pair: dict[tuple[str, str], list[tuple[date, str]]] = defaultdict(list)
    for day, base, quote, rate in sorted(everything):
        by_pair[(base, quote)].append((day, str(rate)))
    return [
        (base, quote, [day for day, _ in found], [rate for _, rate in found])
        for (base, quote), found in by_pair.items()
    ]


def _naive(everything: list[Row], source: str, target: str, day: date) -> Fraction | None:
    applying = [
        (when, (base, quote) == (source, target), Fraction(rate))
        for when, base, quote, rate in everything
        if when <= day and {base, quote} == {source, target}
    ]
    if not applying:
        return None
    _when, direct, rate = max(applying, key=lambda found: (found[0], found[1]))
    return rate if direct else 1 / rate


@settings(max_examples=300, deadline=None)
@given(
    rows,
    st.lists(
        st.tuples(st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES), days, days),
        max_size=8,
    ),
)
def test_book_of_columns_answers_like_the_book_of_rows(
    everything: list[Row], questions: list[tuple[str, str, date, date]]
) -> None:
    of_rows, of_columns = RateBook(everything), RateBook.from_pairs(_columns(everything))
    for source, target, one, other in questions:
        if source == target:
            continue
        start, end = min(one, other), max(one, other)
        assert of_columns.factor(source, target, one) == _naive(everything, source, target, one)
        assert of_rows.factor(source, target, one) == _naive(everything, source, target, one)
        assert of_columns.float_factor(source, target, one) == of_rows.float_factor(
            source, target, one
        )
        assert of_columns.max_factor(source, target, start, end) == of_rows.max_factor(
            source, target, start, end
        )
        assert of_columns.changes_between(source, target, start, end) == (
            of_rows.changes_between(source, target, start, end)
        )
        assert of_columns.first_day(source, target) == of_rows.first_day(source, target)


@pytest.mark.django_db
def test_every_rate_reads_the_tenants_rates_on_either_database() -> None:
    tenant, other = personal_tenant(make_user()), personal_tenant(make_user())
    make_rate(tenant, "EUR", "USD", "1.0812345678", date(2026, 1, 2))
    make_rate(tenant, "EUR", "USD", "1.1", date(2026, 1, 5))
    make_rate(tenant, "USD", "EUR", "0.95", date(2026, 1, 5))
    make_rate(tenant, "USD", "JPY", "150.25", date(2026, 1, 3))
    make_rate(other, "EUR", "USD", "9", date(2026, 1, 1))
    with tenant_scope(tenant):
        book = every_rate(ExchangeRate.objects.all())
    assert book.factor("EUR", "USD", date(2026, 1, 1)) is None
    assert book.factor("EUR", "USD", date(2026, 1, 4)) == Fraction("1.0812345678")
    assert book.factor("EUR", "USD", date(2026, 1, 5)) == Fraction("1.1")
    assert book.factor("USD", "EUR", date(2026, 1, 5)) == Fraction("0.95")
    assert book.factor("JPY", "USD", date(2026, 2, 1)) == 1 / Fraction("150.25")
    assert book.max_factor("USD", "EUR", date(2026, 1, 1), date(2026, 1, 9)) == Fraction("0.95")
