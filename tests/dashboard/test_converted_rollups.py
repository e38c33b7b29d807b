"""The converted rollups (``ledger.converted``): the dashboard read from them equals the
naive recomputation, after rebuilds and after every kind of write that changes them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findash.dashboard import fx
from findash.ledger.models import (
    Account,
    Category,
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    ConvertedState,
    ExchangeRate,
)
from findash.ledger.rollup_rebuild import rollups_rebuild, rollups_verify
from findash.ledger.services import (
    exchange_rate_create,
    exchange_rate_delete,
    exchange_rate_update,
    transaction_create,
)
from findash.tenancy.scoping import TenantScopeMissing, tenant_scope
from tests import factories
from tests.dashboard.test_against_naive import DAY0, assert_matches_naive, build, datasets


def _rows(tenant: Any) -> tuple[list[Any], list[Any], list[Any]]:
    with tenant_scope(tenant):
        return (
            sorted(ConvertedState.objects.values_list("base", "targets")),
            sorted(ConvertedFlowRollup.objects.values_list()),
            sorted(ConvertedPayeeRollup.objects.values_list()),
        )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=datasets(), writes=st.lists(st.tuples(st.integers(0, 99), st.integers(-9, 9))))
def test_converted_reads_match_naive_after_rebuild_and_writes(
    data: dict[str, Any], writes: list[tuple[int, int]]
) -> None:
    tenant, client = build(data)
    rollups_rebuild(tenant=tenant)
    assert_matches_naive(client, tenant, data["start"], data["end"])
    with tenant_scope(tenant):
        accounts = list(Account.objects.order_by("id"))
        for index, shift in writes[:4]:
            rates = list(ExchangeRate.objects.order_by("id"))
            if index % 3 == 0 and accounts:
                account = accounts[index % len(accounts)]
                transaction_create(
                    tenant=tenant,
                    account_id=account.pk,
                    date=DAY0 + timedelta(days=index + shift),
                    amount=Decimal(-1000 - index * 37 if account.currency != "JPY" else -9),
                    payee="Acme",
                )
            elif index % 3 == 1 and rates:
                rate = rates[index % len(rates)]
                exchange_rate_update(
                    tenant=tenant,
                    exchange_rate_id=rate.pk,
                    changes={"rate": Decimal(index + 1) / 8},
                )
            elif rates:
                exchange_rate_delete(tenant=tenant, exchange_rate_id=rates[index % len(rates)].pk)
    assert_matches_naive(client, tenant, data["start"], data["end"])
    assert_matches_naive(client, tenant, DAY0, DAY0 + timedelta(days=130))


def _euro_tenant(world: Any) -> tuple[Any, Any, Any]:
    tenant = world.owner_personal
    euro = factories.make_account(tenant, currency="EUR")
    food = factories.make_category(tenant, name="Food")
    factories.make_budget(tenant, food, currency="EUR", start_date=date(2025, 12, 1))
    factories.make_rate(tenant, "EUR", "USD", "1.10", date(2025, 12, 1))
    factories.make_rate(tenant, "USD", "EUR", "0.8", date(2026, 1, 15))
    for day, cents in (
        (date(2025, 12, 5), -10000),
        (date(2026, 1, 10), -3333),
        (date(2026, 1, 20), -7),
    ):
        factories.make_transaction(
            tenant, euro, amount=Decimal(cents).scaleb(-2), category=food, date=day, payee="Shop"
        )
    rollups_rebuild(tenant=tenant)
    return tenant, euro, world.client(world.owner)


@pytest.mark.django_db
def test_a_rate_edit_recomputes_the_months_it_applies_to(world: Any) -> None:
    tenant, _euro, client = _euro_tenant(world)
    assert _rows(tenant)[0] == [("USD", "EUR,USD")]
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 2, 28))
    with tenant_scope(tenant):
        first = ExchangeRate.objects.get(date=date(2025, 12, 1))
        exchange_rate_update(
            tenant=tenant, exchange_rate_id=first.pk, changes={"rate": Decimal("1.5")}
        )
    summary = client.get("/financial/dashboard/summary?start=2025-12-01&end=2025-12-31").json()
    assert summary["expenses"] == "150.00"
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 2, 28))
    with tenant_scope(tenant):
        created = exchange_rate_create(
            tenant=tenant, date=date(2026, 1, 12), base="EUR", quote="USD", rate=Decimal("2")
        )
    assert_matches_naive(client, tenant, date(2026, 1, 1), date(2026, 1, 31))
    with tenant_scope(tenant):
        exchange_rate_update(
            tenant=tenant, exchange_rate_id=created.pk, changes={"date": date(2025, 12, 20)}
        )
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 2, 28))
    with tenant_scope(tenant):
        exchange_rate_delete(tenant=tenant, exchange_rate_id=created.pk)
    assert_matches_naive(client, tenant, date(2025, 11, 1), date(2026, 2, 28))


@pytest.mark.django_db
def test_a_failed_write_leaves_the_converted_rows_untouched(world: Any) -> None:
    tenant, euro, _client = _euro_tenant(world)
    before = _rows(tenant)
    with tenant_scope(tenant), pytest.raises(RuntimeError), transaction.atomic():
        transaction_create(
            tenant=tenant,
            account_id=euro.pk,
            date=date(2026, 1, 3),
            amount=Decimal("-5"),
            payee="X",
        )
        exchange_rate_create(
            tenant=tenant, date=date(2026, 1, 2), base="EUR", quote="USD", rate=Decimal("9")
        )
        assert _rows(tenant) != before
        raise RuntimeError("the request fails after its writes")
    assert _rows(tenant) == before
    assert rollups_verify(tenant=tenant) == []


@pytest.mark.django_db
def test_converted_rows_are_tenant_owned(world: Any) -> None:
    tenant, _euro, _client = _euro_tenant(world)
    other = world.outsider_personal
    assert _rows(tenant)[1]
    assert _rows(other) == ([], [], [])
    with pytest.raises(TenantScopeMissing):
        list(ConvertedFlowRollup.objects.all())
    with tenant_scope(other):
        assert not ConvertedPayeeRollup.objects.exists()
    rollups_rebuild(tenant=other)  # a single-currency tenant keeps none
    assert _rows(other) == ([], [], [])
    assert _rows(tenant)[1]


@pytest.mark.django_db
def test_an_interval_on_a_rounding_tie_falls_back_to_the_exact_sum(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, euro, client = _euro_tenant(world)
    with tenant_scope(tenant):
        food = Category.objects.get(name="Food")
    for day in (date(2025, 12, 1), date(2026, 1, 2), date(2026, 1, 31)):  # outside the edges
        for category in (None, food):
            factories.make_transaction(
                tenant, euro, amount=Decimal("-1.01"), date=day, payee="Shop", category=category
            )
    rollups_rebuild(tenant=tenant)
    monkeypatch.setattr(fx, "_rounded_by_interval", lambda *args: None)
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 2, 28))
    assert_matches_naive(client, tenant, date(2025, 12, 3), date(2026, 1, 25))


@pytest.mark.django_db
def test_services_keep_the_rows_for_new_accounts_and_budget_currencies(world: Any) -> None:
    from findash.budgets.services import budget_create
    from findash.ledger.services import account_create

    tenant, client = world.owner_personal, world.client(world.owner)
    food = factories.make_category(tenant, name="Food")
    factories.make_rate(tenant, "EUR", "USD", "1.1", date(2025, 12, 1))
    factories.make_rate(tenant, "GBP", "EUR", "1.17", date(2025, 12, 1))
    factories.make_rate(tenant, "USD", "GBP", "0.79", date(2026, 1, 9))
    with tenant_scope(tenant):
        euro = account_create(tenant=tenant, name="EU", type="checking", currency="EUR")
    assert _rows(tenant)[0] == [("USD", "USD")]
    for day, cents in ((date(2025, 12, 5), -10000), (date(2026, 1, 10), -3333)):
        factories.make_transaction(
            tenant, euro, amount=Decimal(cents).scaleb(-2), category=food, date=day, payee="A"
        )
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 1, 31))
    with tenant_scope(tenant):
        budget_create(
            tenant=tenant,
            category_id=food.pk,
            amount=Decimal("50"),
            currency="GBP",
            start_date=date(2025, 12, 1),
        )
    assert _rows(tenant)[0] == [("USD", "GBP,USD")]
    assert_matches_naive(client, tenant, date(2025, 12, 1), date(2026, 1, 31))
    assert_matches_naive(client, tenant, date(2025, 12, 7), date(2026, 1, 20))
