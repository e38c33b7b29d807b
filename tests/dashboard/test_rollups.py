"""Rollups equal a recomputation after every kind of write; the commands that rebuild and check."""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db import transaction as django_transaction

from findash.ledger.models import (
    DailyRollup,
    MonthlyRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeePackedRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
)
from findash.ledger.payee_packed import ALL_TIME_MONTHS
from findash.ledger.rollup_rebuild import rollups_rebuild, rollups_verify
from findash.ledger.services import (
    TransactionInput,
    category_update,
    transaction_bulk_create,
    transaction_create,
    transaction_delete,
    transaction_update,
    transfer_create,
)
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World


def _txn(account_id: int, amount: str, day: date, **extra: Any) -> TransactionInput:
    return TransactionInput(account_id=account_id, amount=Decimal(amount), date=day, **extra)


def test_every_kind_of_write_keeps_rollups_equal_to_recomputation(world: World) -> None:
    tenant = world.org
    checking = factories.make_account(tenant)
    savings = factories.make_account(tenant, type="savings")
    food = factories.make_category(tenant)
    salary = factories.make_category(tenant, kind="income")
    steps = []

    with tenant_scope(tenant):  # the scope the API's auth enters for each request
        created = transaction_create(
            tenant=tenant,
            **asdict(
                _txn(checking.pk, "-12.30", date(2026, 1, 5), category_id=food.pk, payee="Deli")
            ),
        )
        steps.append("create")
        assert rollups_verify(tenant=tenant) == []
        for patch in (
            {"amount": Decimal("40.00")},  # sign flips: inflow now
            {"category_id": None},  # uncategorized inflow
            {"date": date(2026, 2, 28), "payee": "Cafe"},  # another month and payee
            {"account_id": savings.pk, "category_id": salary.pk},
            {"amount": Decimal("-0.01"), "category_id": food.pk},
        ):
            transaction_update(tenant=tenant, transaction_id=created.pk, changes=patch)
            steps.append(f"update {patch}")
            assert rollups_verify(tenant=tenant) == [], steps[-1]
        transaction_bulk_create(
            tenant=tenant,
            rows=[
                _txn(
                    checking.pk,
                    str(Decimal(i) - Decimal("20.5")),
                    date(2026, 1 + i % 3, 1 + i),
                    payee=("Deli", "", "Cafe")[i % 3],
                    category_id=(food.pk, None)[i % 2],
                )
                for i in range(25)
            ],
        )
        assert rollups_verify(tenant=tenant) == []
        legs = transfer_create(
            tenant=tenant,
            from_account_id=checking.pk,
            to_account_id=savings.pk,
            date=date(2026, 3, 3),
            amount=Decimal("100.00"),
        )
        assert rollups_verify(tenant=tenant) == []
        transaction_delete(tenant=tenant, transaction_id=legs[1].pk)  # deletes both legs
        transaction_delete(tenant=tenant, transaction_id=created.pk)
        assert rollups_verify(tenant=tenant) == []
    with tenant_scope(tenant):
        assert MonthlyRollup.objects.filter(is_transfer=True, count__gt=0).count() == 0


def _corrupt(tenant: Tenant) -> None:
    with tenant_scope(tenant):
        row = MonthlyRollup.objects.first()
        assert row is not None
        row.total += Decimal("0.01")
        row.save()
        PayeeMonthlyRollup.objects.update(count=99)
        DailyRollup.objects.update(inflow_count=7)
        PayeeDailyRollup.objects.update(total_cents=1)
        PayeeSpanRollup.objects.filter(months=12).update(total_cents=-1)
        PayeeTotalRollup.objects.update(count=5)
        PayeePackedRollup.objects.filter(months=ALL_TIME_MONTHS).update(
            counts=(5).to_bytes(4, "little")
        )


def test_verify_lists_differences_and_rebuild_repairs(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant)
    factories.make_transaction(tenant, account, amount=Decimal("-5.00"), payee="Deli")
    other = factories.make_account(world.outsider_personal)
    factories.make_transaction(world.outsider_personal, other, amount=Decimal("7.00"))
    call_command("verify_rollups")
    _corrupt(tenant)
    with pytest.raises(CommandError, match="7 rollup rows differ"):
        call_command("verify_rollups", tenant=tenant.public_id)
    out = capsys.readouterr().out
    tables = ("monthly", "daily", "payee monthly", "payee daily", "payee spans", "payee totals")
    tables += ("payee packed",)
    for table in tables:
        assert f"{tenant.public_id}: {table} (" in out
    call_command("verify_rollups", tenant=world.outsider_personal.public_id)  # unaffected
    call_command("rebuild_rollups", tenant=tenant.public_id)
    call_command("verify_rollups")
    _corrupt(tenant)
    call_command("optimize_dashboard_queries")
    assert rollups_verify(tenant=tenant) == []


def test_commands_reject_unknown_tenants(world: World) -> None:
    for bad in ("user_999999", "nobody"):
        with pytest.raises(CommandError, match="no tenant"):
            call_command("rebuild_rollups", tenant=bad)


def test_rebuild_counts_rows(world: World) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant)
    day = date(2026, 3, 10)
    factories.make_transaction(tenant, account, amount=Decimal("-5.00"), payee="Deli", date=day)
    factories.make_transaction(tenant, account, amount=Decimal("5.00"), payee="Deli", date=day)
    # flows: one uncategorized row per month and per day; payee spending (only the outflow
    # counts) per month, per day, per span holding March (2026, Jan-Aug, Jan-Apr, Mar-Apr)
    # and over all time; the same seven payee blocks packed
    assert rollups_rebuild(tenant=tenant) == 9 + 7
    with tenant_scope(tenant):
        spans = PayeeSpanRollup.objects.values_list("start", "months", "total_cents", "count")
        assert sorted(spans) == [
            (date(2026, 1, 1), 4, -500, 1),
            (date(2026, 1, 1), 8, -500, 1),
            (date(2026, 1, 1), 12, -500, 1),
            (date(2026, 3, 1), 2, -500, 1),
        ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_lose_nothing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    user = factories.make_user("racer")
    tenant = factories.personal_tenant(user)
    accounts = [factories.make_account(tenant) for _ in range(2)]
    category = factories.make_category(tenant)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(seed: int) -> None:
        try:
            barrier.wait()
            with tenant_scope(tenant):  # a new thread starts outside any scope
                for i in range(15):
                    day = date(2026, 1 + i % 2, 1 + seed)
                    made = transaction_create(
                        tenant=tenant,
                        **asdict(
                            _txn(
                                accounts[i % 2].pk,
                                f"-{seed + 1}.{i:02d}",
                                day,
                                category_id=category.pk,
                                payee=("Shared", f"Own {seed}")[i % 2],
                            )
                        ),
                    )
                    if i % 5 == 0:
                        transaction_update(
                            tenant=tenant,
                            transaction_id=made.pk,
                            changes={"amount": Decimal("3.00")},
                        )
                    if i % 7 == 0:
                        transaction_delete(tenant=tenant, transaction_id=made.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rollups_verify(tenant=tenant) == []


def test_a_category_changing_kind_moves_its_flows_in_or_out_of_payee_spending(
    world: World,
) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant)
    food = factories.make_category(tenant)
    factories.make_transaction(
        tenant, account, amount=Decimal("-5.00"), payee="Deli", category=food
    )
    with tenant_scope(tenant):
        assert PayeeMonthlyRollup.objects.get().total_cents == -500
    with tenant_scope(tenant):
        category_update(tenant=tenant, category_id=food.pk, changes={"kind": "income"})
    assert rollups_verify(tenant=tenant) == []
    with tenant_scope(tenant):
        assert not PayeeMonthlyRollup.objects.exists()  # income is never spending
    with tenant_scope(tenant):
        category_update(tenant=tenant, category_id=food.pk, changes={"kind": "expense"})
    assert rollups_verify(tenant=tenant) == []
    with tenant_scope(tenant):
        assert PayeeDailyRollup.objects.get().total_cents == -500


@pytest.mark.django_db(transaction=True)
def test_writers_of_two_writes_each_in_opposite_orders_do_not_deadlock() -> None:
    """Each writer's transaction writes twice (an import's batches): spending at "X" then
    "Y", the other "Y" then "X". The payee blocks' lock is taken before the first write's
    upserts, so the second writer waits for the first to commit instead of holding a payee
    row the first needs while waiting for the lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    user = factories.make_user("opposite")
    tenant = factories.personal_tenant(user)
    accounts = [factories.make_account(tenant) for _ in range(2)]  # no flow row in common
    category = factories.make_category(tenant)
    wrote_first = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def writer(index: int, payees: tuple[str, str]) -> None:
        try:
            with tenant_scope(tenant), django_transaction.atomic():
                for step, payee in enumerate(payees):
                    row = _txn(
                        accounts[index].pk, "-1.00", date(2026, 1, 5), category_id=category.pk
                    )
                    transaction_create(tenant=tenant, **{**asdict(row), "payee": payee})
                    if step == 0:
                        wrote_first[index].set()
                        wrote_first[1 - index].wait(timeout=1.0)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=(0, ("X", "Y"))),
        threading.Thread(target=writer, args=(1, ("Y", "X"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rollups_verify(tenant=tenant) == []
