"""Schema building blocks shared by every API: strict input, money as strings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from ninja import Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_serializer,
    field_validator,
)

from findash.common.currencies import MINOR_UNITS
from findash.common.limits import (
    DECIMAL_IN_PATTERN,
    DECIMAL_OUT_PATTERN,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_ID,
    MAX_UTC_OFFSET,
)
from findash.common.money import round_money

_DECIMAL_IN = re.compile(DECIMAL_IN_PATTERN)


def _decimal_from_json_string(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError('must be a JSON string holding a decimal, e.g. "12.50"')
    # The documented pattern, exactly: no exponent, no spaces, no NaN, a bounded length.
    if not _DECIMAL_IN.match(value):
        raise ValueError(f'must be a decimal string like "-1234.50" (pattern {DECIMAL_IN_PATTERN})')
    return Decimal(value)


def _decimal_to_string(value: Decimal) -> str:
    return format(value, "f")


# Money and rates travel as JSON strings holding exact decimals, never numbers.
DecimalStr = Annotated[
    Decimal,
    BeforeValidator(_decimal_from_json_string),
    PlainSerializer(_decimal_to_string, return_type=str, when_used="json-unless-none"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DECIMAL_IN_PATTERN,
            "examples": ["1234.50"],
            "description": "an exact decimal as a JSON string",
        }
    ),
]
DecimalOut = Annotated[
    Decimal,
    PlainSerializer(_decimal_to_string, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_OUT_PATTERN, "examples": ["1234.50"]}),
]


def no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here, with the field's name, on every database.
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def _date_in_range(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"date must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def _timestamp_in_range(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    offset = value.utcoffset() or timedelta(0)
    if abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise ValueError(f"timestamp must be between {EARLIEST_DATE} and {LATEST_DATE}")
    utc = value.astimezone(UTC)
    if not EARLIEST_DATE <= utc.date() <= LATEST_DATE:
        raise ValueError(f"timestamp must be between {EARLIEST_DATE} and {LATEST_DATE} in UTC")
    return utc


Text = Annotated[str, AfterValidator(no_nul)]
BoundedDate = Annotated[date, AfterValidator(_date_in_range)]
# Naive timestamps are UTC; stored and answered in UTC.
BoundedDateTime = Annotated[datetime, AfterValidator(_timestamp_in_range)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class StrictIn(Schema):
    """Input schemas: unknown fields are an error, not silently dropped; no text holds NUL."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_anywhere(cls, value: Any) -> Any:
        if isinstance(value, str):
            no_nul(value)
        return value


T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


class OwnCurrencyAmounts(BaseModel):
    """Native amounts print with their row's ``currency``'s minor unit.

    Storage keeps two places for every currency; a JPY amount answers "1500", not "1500.00".
    Base-currency figures (``balance_base``, ``amount_base``) are rounded where computed.
    """

    @field_serializer(
        "amount", "opening_balance", "balance", "inflow", "outflow", check_fields=False
    )
    def _amount_in_currency(self, value: Decimal) -> str:
        currency = getattr(self, "currency", "")
        if currency in MINOR_UNITS:
            value = round_money(value, currency)
        return format(value, "f")


class AmountsInOwnCurrency(Schema, OwnCurrencyAmounts):
    """The same for ninja schemas read from model instances."""
