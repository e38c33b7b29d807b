"""Concurrent writers of one tenant and month leave its converted rollups exact."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

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
