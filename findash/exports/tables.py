"""The tenant's rows as exports read them: small tables whole, transactions as a stream.

Querysets are built here, inside the tenant's scope (which bakes the tenant
filter into the SQL); the export generators iterate them later, after the
request's handler returned, in chunks and without loading a table into memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Min, QuerySet

from findash.budgets.models import Budget
from findash.ledger.models import TRANSACTION_FIELDS, Account, Category, ExchangeRate, Transaction
from findash.ledger.selectors import dated_rows
from findash.rules.models import Rule
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import scope_require

CHUNK = 2000
TRANSACTION_COLUMNS = TRANSACTION_FIELDS


@dataclass(frozen=True)
class TenantTables:
    tenant: Tenant
    accounts: list[Account]
    categories: list[Category]
    exchange_rates: list[ExchangeRate]
    budgets: list[Budget]
    rules: list[Rule]
    first_date: date | None
    transactions: QuerySet[Transaction, tuple[Any, ...]]

    def transaction_rows(self) -> Iterator[dict[str, Any]]:
        for values in self.transactions.iterator(chunk_size=CHUNK):
            yield dict(zip(TRANSACTION_COLUMNS, values, strict=True))


def tenant_tables_get(
    *,
    tenant: Tenant,
    account_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> TenantTables:
    """Call inside the tenant's scope (the API's auth or ``tenant_command`` enters it)."""
    scope_require(tenant)
    transactions = dated_rows(
        Transaction.objects.all(), start=start, end=end, account_id=account_id
    )
    return TenantTables(
        tenant=tenant,
        accounts=list(Account.objects.order_by("id")),
        categories=list(Category.objects.order_by("id")),
        exchange_rates=list(ExchangeRate.objects.order_by("date", "base", "quote")),
        budgets=list(Budget.objects.order_by("id")),
        rules=list(Rule.objects.order_by("priority", "id")),
        first_date=Transaction.objects.aggregate(first=Min("date"))["first"],
        transactions=transactions.order_by("date", "id").values_list(*TRANSACTION_COLUMNS),
    )
