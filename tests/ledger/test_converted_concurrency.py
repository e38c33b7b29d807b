"""Concurrent writers of one tenant and month leave its converted rollups exact."""

from __future__ import annotations

import contextlib
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db import transaction as db_transaction

from findash.ledger import converted
from findash.ledger.rollup_rebuild import rollups_rebuild, rollups_verify
from findash.ledger.services import exchange_rate_update, transaction_create
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.services import on_postgres

WRITERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_and_a_rate_edit_keep_converted_rows_exact(world: Any) -> None:
    if not on_postgres():
        pytest.skip("SQLite runs one writer at a time; this race needs PostgreSQL")
    tenant = world.owner_personal
    euro = factories.make_account(tenant, currency="EUR")
    food = factories.make_category(tenant, name="Food")
    factories.make_rate(tenant, "EUR", "USD", "1.1", date(2026, 1, 1))
    rate = factories.make_rate(tenant, "EUR", "USD", "1.2", date(2026, 1, 10))
    rollups_rebuild(tenant=tenant)
    barrier = threading.Barrier(WRITERS + 1)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            with tenant_scope(tenant):
                barrier.wait(timeout=10)
                transaction_create(
                    tenant=tenant,
                    account_id=euro.pk,
                    date=date(2026, 1, 5 + index),
                    amount=Decimal(-1 - index),
                    category_id=food.pk,
                    payee=f"Shop {index % 2}",
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def edit_rate() -> None:
        try:
            with tenant_scope(tenant):
                barrier.wait(timeout=10)
                exchange_rate_update(
                    tenant=tenant, exchange_rate_id=rate.pk, changes={"rate": Decimal("1.3")}
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    threads.append(threading.Thread(target=edit_rate))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert rollups_verify(tenant=tenant) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_month_never_recompute_it_side_by_side(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes to different accounts, days and payees share no plain rollup row, only
    the month's converted flow row. Each recomputation is held until the other arrives
    (or 1.5 s pass): without the tenant's lock both would read the month before the
    other's write committed, and the row would miss one of them."""
    if not on_postgres():
        pytest.skip("SQLite runs one writer at a time; this race needs PostgreSQL")
    tenant = world.owner_personal
    accounts = [factories.make_account(tenant, currency="EUR") for _ in range(2)]
    food = factories.make_category(tenant, name="Food")
    factories.make_rate(tenant, "EUR", "USD", "1.1", date(2026, 1, 1))
    rollups_rebuild(tenant=tenant)
    side_by_side = threading.Barrier(2, timeout=1.5)
    met: list[bool] = []
    book = converted.rate_book

    def held_book(months: set[date]) -> Any:
        try:
            side_by_side.wait()
            met.append(True)
        except threading.BrokenBarrierError:
            pass
        return book(months)

    monkeypatch.setattr(converted, "rate_book", held_book)
    start = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            with tenant_scope(tenant):
                start.wait()
                transaction_create(
                    tenant=tenant,
                    account_id=accounts[index].pk,
                    date=date(2026, 1, 5 + index),
                    amount=Decimal("-3.33") * (index + 1),
                    category_id=food.pk,
                    payee=f"Shop {index}",
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert met == []  # the second recomputation waited for the first to commit
    assert rollups_verify(tenant=tenant) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rate_then_a_transaction_against_the_reverse_order_never_deadlocks(world: Any) -> None:
    """One lock for every derived table: with one for the converted rows and another for
    the packed payee blocks, each writer would hold the one the other waits for."""
    if not on_postgres():
        pytest.skip("SQLite runs one writer at a time; this race needs PostgreSQL")
    tenant = world.owner_personal
    euro = factories.make_account(tenant, currency="EUR")
    food = factories.make_category(tenant, name="Food")
    rate = factories.make_rate(tenant, "EUR", "USD", "1.1", date(2026, 1, 1))
    rollups_rebuild(tenant=tenant)
    between = threading.Barrier(2, timeout=1.5)
    errors: list[BaseException] = []

    def buy() -> None:
        transaction_create(
            tenant=tenant,
            account_id=euro.pk,
            date=date(2026, 1, 7),
            amount=Decimal("-4.40"),
            category_id=food.pk,
            payee="Market",
        )

    def reprice() -> None:
        exchange_rate_update(
            tenant=tenant, exchange_rate_id=rate.pk, changes={"rate": Decimal("1.2")}
        )

    def write(first: Any, then: Any) -> None:
        try:
            with tenant_scope(tenant), db_transaction.atomic():
                first()
                # Both hold their first write's locks, unless one waits for the other.
                with contextlib.suppress(threading.BrokenBarrierError):
                    between.wait()
                then()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(reprice, buy)),
        threading.Thread(target=write, args=(buy, reprice)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert rollups_verify(tenant=tenant) == []
