"""Random sequences of ledger writes keep every rollup equal to a recomputation."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findash.common.errors import InvalidInput
from findash.ledger import services
from findash.ledger.models import Transaction
from findash.ledger.rollup_rebuild import rollups_verify
from findash.tenancy.scoping import tenant_scope
from tests.ledger.conftest import Ledger, rollups_match_transactions

amounts = st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False)
days = st.dates(min_value=date(2025, 11, 1), max_value=date(2026, 3, 31))
operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "bulk", "transfer", "patch", "delete"]),
        amounts,
        days,
        st.integers(min_value=0, max_value=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_rollups_stay_exact_under_random_writes(ledger: Ledger, ops: list[Any]) -> None:
    tenant = ledger.world.org
    accounts = [ledger.checking.pk, ledger.savings.pk]
    categories = [None, ledger.groceries.pk, ledger.salary.pk, None]
    for kind, amount, day, pick in ops:
        row = services.TransactionInput(
            account_id=accounts[pick % 2],
            date=day,
            amount=amount,
            category_id=categories[pick],
            payee=["", "Deli", "Cafe", "Deli"][pick],
        )
        with tenant_scope(tenant):  # the scope the API's auth enters for each request
            existing = list(Transaction.objects.order_by("id").values_list("id", flat=True))
            if kind == "create":
                services.transaction_create(tenant=tenant, **asdict(row))
            elif kind == "bulk":
                services.transaction_bulk_create(tenant=tenant, rows=[row, row])
            elif kind == "transfer" and amount > 0:
                services.transfer_create(
                    tenant=tenant,
                    from_account_id=accounts[pick % 2],
                    to_account_id=accounts[1 - pick % 2],
                    date=day,
                    amount=amount,
                )
            elif kind == "patch" and existing:
                patch = {"amount": amount, "date": day, "category_id": categories[pick]}
                with contextlib.suppress(InvalidInput):  # a transfer leg keeps amount and date
                    services.transaction_update(
                        tenant=tenant, transaction_id=existing[pick % len(existing)], changes=patch
                    )
            elif kind == "delete" and existing:
                services.transaction_delete(
                    tenant=tenant, transaction_id=existing[pick % len(existing)]
                )
        rollups_match_transactions(tenant)
    assert rollups_verify(tenant=tenant) == []
    with tenant_scope(tenant):
        assert all(isinstance(t.amount, Decimal) for t in Transaction.objects.all())
