"""The packed payee blocks: numbered per tenant, chunked, untouched by failed writes, rebuilt
with the same numbers, and read by top payees only for the acting tenant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from findash.ledger import payee_packed
from findash.ledger.models import PayeeNumber, PayeePackedRollup, Transaction
from findash.ledger.payee_packed import ALL_TIME_MONTHS, ALL_TIME_START, Packed, packed_stored
from findash.ledger.rollup_rebuild import rollups_rebuild, rollups_verify
from findash.ledger.services import transaction_delete
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import ApiClient, World

DAY = date(2026, 3, 10)


def _spend(world: World, payees: list[str], day: date = DAY) -> None:
    tenant = world.owner_personal
    account = factories.make_account(tenant)
    for index, payee in enumerate(payees):
        amount = Decimal(-(index + 1)).scaleb(-2)
        factories.make_transaction(tenant, account, amount=amount, payee=payee, date=day)


def test_a_block_splits_into_chunks_of_payee_numbers(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(payee_packed, "CHUNK_PAYEES", 2)
    _spend(world, ["A", "B", "C", "D", "E"])
    tenant = world.owner_personal
    with tenant_scope(tenant):
        numbers = dict(PayeeNumber.objects.values_list("payee", "number"))
        assert numbers == {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4}
        rows = PayeePackedRollup.objects.filter(months=0, start=DAY).order_by("chunk")
        chunks = {row.chunk: Packed.decode(row.numbers, row.cents, row.counts) for row in rows}
    assert {chunk: packed.sums() for chunk, packed in chunks.items()} == {
        0: {0: (-1, 1), 1: (-2, 1)},
        1: {2: (-3, 1), 3: (-4, 1)},
        2: {4: (-5, 1)},
    }
    assert packed_stored(tenant.pk)[("USD", ALL_TIME_MONTHS, ALL_TIME_START, "E")] == (-5, 1)
    assert rollups_verify(tenant=tenant) == []


def test_a_payee_spending_nothing_any_more_leaves_its_block(world: World) -> None:
    _spend(world, ["A"])
    tenant = world.owner_personal
    with tenant_scope(tenant):
        (made,) = Transaction.objects.all()
        transaction_delete(tenant=tenant, transaction_id=made.pk)
        assert not PayeePackedRollup.objects.exists()
        assert PayeeNumber.objects.get().payee == "A"  # numbers are never given again
    assert rollups_verify(tenant=tenant) == []


def test_a_failed_write_leaves_the_packed_blocks_and_numbers_untouched(world: World) -> None:
    _spend(world, ["A"])
    tenant = world.owner_personal
    before = packed_stored(tenant.pk)
    account = factories.make_account(tenant)
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_transaction(tenant, account, amount=Decimal("-3.00"), payee="A", date=DAY)
        factories.make_transaction(tenant, account, amount=Decimal("-4.00"), payee="New")
        raise RuntimeError("the write fails after its rollups")
    assert packed_stored(tenant.pk) == before
    with tenant_scope(tenant):
        assert list(PayeeNumber.objects.values_list("payee", flat=True)) == ["A"]


def test_rebuild_keeps_each_payees_number(world: World) -> None:
    _spend(world, ["Zed", "Alpha"])
    tenant = world.owner_personal
    with tenant_scope(tenant):
        before = dict(PayeeNumber.objects.values_list("payee", "number"))
        PayeePackedRollup.objects.all().delete()
    rollups_rebuild(tenant=tenant)
    with tenant_scope(tenant):
        assert dict(PayeeNumber.objects.values_list("payee", "number")) == before
    assert rollups_verify(tenant=tenant) == []


def test_top_payees_read_only_the_acting_tenants_blocks_and_names(world: World) -> None:
    _spend(world, ["Mine"])
    outsider = world.outsider_personal
    account = factories.make_account(outsider)
    for payee, amount in (("Theirs", "-50.00"), ("Also theirs", "-60.00")):
        factories.make_transaction(outsider, account, amount=Decimal(amount), payee=payee, date=DAY)
    with tenant_scope(outsider):  # both tenants' payees carry the same numbers
        assert sorted(PayeeNumber.objects.values_list("number", flat=True)) == [0, 1]
    for user, expected in ((world.owner, ["Mine"]), (world.outsider, ["Also theirs", "Theirs"])):
        response = ApiClient(user).get(
            "/financial/dashboard/transactions?start=2026-03-01&end=2026-03-20"
        )
        assert response.status_code == 200
        assert [row["payee"] for row in response.json()["top_payees"]] == expected
