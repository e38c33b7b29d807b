"""/exports query schemas and the restore answer."""

from __future__ import annotations

from ninja import Schema

from findash.common.schemas import Id
from findash.ledger.schemas import LedgerDate


class TransactionsExportFilters(Schema):
    account_id: Id | None = None
    start: LedgerDate | None = None
    end: LedgerDate | None = None


class RestoreOut(Schema):
    accounts: int
    categories: int
    exchange_rates: int
    budgets: int
    rules: int
    transactions: int
