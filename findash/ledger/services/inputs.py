"""What ledger writes share: the input of one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

Loc = list[str | int]


@dataclass(frozen=True, slots=True)
class TransactionInput:
    """One transaction as a caller gives it; the service checks it against the ledger."""

    account_id: int
    date: date
    amount: Decimal
    currency: str | None = None  # the account's currency when not given
    category_id: int | None = None
    description: str = ""
    payee: str = ""
