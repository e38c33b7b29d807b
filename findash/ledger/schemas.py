"""Ledger API schemas: accounts, categories, transactions, transfers, exchange rates.

Money travels as JSON strings (``DecimalStr`` in, ``DecimalOut`` out). Checks
that need no database (currency codes, date range, text) live here; checks that
depend on other rows or on the currency of an account live in the services.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from findash.common.limits import EARLIEST_DATE, LATEST_DATE, MAX_ID
from findash.common.money import is_currency
from findash.common.schemas import (
    AmountsInOwnCurrency,
    BoundedDate,
    DecimalOut,
    DecimalStr,
    Id,
    StrictIn,
    no_nul,
)

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "MAX_ID"]

BULK_MAX_ROWS = 10_000


def _currency_code(value: str) -> str:
    if not is_currency(value):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return value


Currency = Annotated[str, AfterValidator(_currency_code)]
LedgerDate = BoundedDate
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(no_nul)]
Description = Annotated[str, Field(max_length=500), AfterValidator(no_nul)]
Payee = Annotated[str, Field(max_length=200), AfterValidator(no_nul)]
AccountType = Literal["checking", "savings", "cash", "investment", "credit_card", "loan", "other"]
CategoryKind = Literal["income", "expense"]


# Accounts


class AccountIn(StrictIn):
    name: Name
    type: AccountType
    currency: Currency
    opening_balance: DecimalStr = Decimal("0.00")
    is_archived: StrictBool = False


class AccountPatch(StrictIn):
    name: Name | None = None
    type: AccountType | None = None
    currency: Currency | None = None
    opening_balance: DecimalStr | None = None
    is_archived: StrictBool | None = None


class AccountOut(AmountsInOwnCurrency):
    id: int
    name: str
    type: str
    currency: str
    opening_balance: DecimalOut
    is_archived: bool
    created_at: datetime


# Categories


class CategoryIn(StrictIn):
    name: Name
    kind: CategoryKind
    parent_id: Id | None = None


class CategoryPatch(StrictIn):
    name: Name | None = None
    kind: CategoryKind | None = None
    parent_id: Id | None = None


class CategoryOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None


# Transactions


class TransactionIn(BaseModel):
    """One transaction to create (alone or as a row of a bulk request).

    A plain pydantic model rather than a ninja ``Schema``: ninja's schemas wrap
    every object for attribute access and, with ``extra="forbid"``, validate it
    twice, which costs most of a 10,000-row bulk request.
    """

    model_config = ConfigDict(extra="forbid")

    account_id: Id
    date: LedgerDate
    amount: DecimalStr
    currency: Currency | None = Field(None, description="defaults to the account's currency")
    category_id: Id | None = None
    description: Description = ""
    payee: Payee = ""


class TransactionPatch(StrictIn):
    account_id: Id | None = None
    date: LedgerDate | None = None
    amount: DecimalStr | None = None
    currency: Currency | None = None
    category_id: Id | None = None
    description: Description | None = None
    payee: Payee | None = None


class TransactionOut(AmountsInOwnCurrency):
    id: int
    account_id: int
    date: date
    amount: DecimalOut
    currency: str
    category_id: int | None
    description: str
    payee: str
    transfer_id: UUID | None
    created_at: datetime


class TransactionFilters(Schema):
    account_id: Id | None = None
    category_id: Id | None = None
    start: LedgerDate | None = None
    end: LedgerDate | None = None
    q: Annotated[str, Field(max_length=200), AfterValidator(no_nul)] | None = None
    # The size of the amount, sign ignored: 10 to 50 finds -12.00 and 30.00.
    min_amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None
    max_amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None


class TransactionBulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a plain model for speed, as TransactionIn

    transactions: list[TransactionIn] = Field(min_length=1, max_length=BULK_MAX_ROWS)


class TransactionBulkOut(Schema):
    created: int


# Transfers


class TransferIn(StrictIn):
    from_account_id: Id
    to_account_id: Id
    date: LedgerDate
    amount: DecimalStr
    to_amount: DecimalStr | None = Field(
        None,
        description=(
            "Extension: the amount credited to the target account, in its currency. "
            "Required when the two accounts' currencies differ; otherwise it must be "
            "omitted or equal to amount."
        ),
    )
    description: Description = ""


class TransferOut(Schema):
    transfer_id: UUID
    transactions: list[TransactionOut]


# Exchange rates


class ExchangeRateIn(StrictIn):
    date: LedgerDate
    base: Currency
    quote: Currency
    rate: DecimalStr


class ExchangeRatePatch(StrictIn):
    date: LedgerDate | None = None
    base: Currency | None = None
    quote: Currency | None = None
    rate: DecimalStr | None = None


class ExchangeRateOut(Schema):
    id: int
    date: date
    base: str
    quote: str
    rate: DecimalOut


class ExchangeRateFilters(Schema):
    base: Currency | None = None
    quote: Currency | None = None
    start: LedgerDate | None = None
    end: LedgerDate | None = None
