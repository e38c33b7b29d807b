"""Ledger writes: accounts, categories, transactions, transfers, exchange rates.

The service convention (docs/ARCHITECTURE.md): every function is keyword-only, takes the
acting ``tenant`` and primitives (PATCHes a ``changes`` mapping of the fields set; bulk rows
``TransactionInput``), requires the tenant's scope that the edge entered, and runs in one
``transaction.atomic`` block. Transaction writes update the rollups inside that block
(``rollups_apply``); other writes that change what the dashboard shows bump the tenant's
data version (``tenant_data_changed``).

Input errors are ``InvalidInput`` naming the argument (bulk rows:
``("transactions", <index>, <field>)``).
"""

from __future__ import annotations

from findash.ledger.services.accounts import (
    account_create,
    account_delete,
    account_update,
    category_create,
    category_delete,
    category_update,
)
from findash.ledger.services.inputs import TransactionInput
from findash.ledger.services.rates import (
    exchange_rate_create,
    exchange_rate_delete,
    exchange_rate_update,
)
from findash.ledger.services.transactions import (
    transaction_bulk_create,
    transaction_create,
    transaction_delete,
    transaction_update,
    transfer_create,
)

__all__ = [
    "TransactionInput",
    "account_create",
    "account_delete",
    "account_update",
    "category_create",
    "category_delete",
    "category_update",
    "exchange_rate_create",
    "exchange_rate_delete",
    "exchange_rate_update",
    "transaction_bulk_create",
    "transaction_create",
    "transaction_delete",
    "transaction_update",
    "transfer_create",
]
