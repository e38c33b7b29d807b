"""Schema building blocks shared by every API: strict input, money as strings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, field_serializer

from findash.common.currencies import MINOR_UNITS
from findash.common.money import round_money


def _decimal_from_json_string(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError('must be a JSON string holding a decimal, e.g. "12.50"')
    try:
        parsed = Decimal(value.strip())
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc
    if not parsed.is_finite():
        raise ValueError("must be a finite decimal number")
    return parsed


def _decimal_to_string(value: Decimal) -> str:
    return format(value, "f")


# Money and rates travel as JSON strings holding exact decimals, never numbers.
DecimalStr = Annotated[
    Decimal,
    BeforeValidator(_decimal_from_json_string),
    PlainSerializer(_decimal_to_string, return_type=str, when_used="json-unless-none"),
]
DecimalOut = Annotated[
    Decimal, PlainSerializer(_decimal_to_string, return_type=str, when_used="always")
]


class StrictIn(Schema):
    """Input schemas: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


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
