"""Money helpers: currency validation, minor units, exact quantization."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from findash.common.currencies import MINOR_UNITS
from findash.common.errors import InvalidInput
from findash.common.limits import AMOUNT_DECIMAL_PLACES, AMOUNT_LIMIT, AMOUNT_MAX, AMOUNT_MAX_DIGITS

__all__ = ["AMOUNT_DECIMAL_PLACES", "AMOUNT_MAX", "AMOUNT_MAX_DIGITS"]
RATE_MAX_DIGITS = 20
RATE_DECIMAL_PLACES = 10
ZERO = Decimal("0")


def is_currency(code: str) -> bool:
    return code in MINOR_UNITS


def minor_unit(currency: str) -> int:
    return MINOR_UNITS[currency]


def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency`` we store: 0.01 for EUR, 1 for JPY.

    Amounts are stored with 2 places, so currencies with 3 or 4 minor digits
    are held to 2 places as well.
    """
    places = min(minor_unit(currency), AMOUNT_DECIMAL_PLACES)
    return Decimal(1).scaleb(-places)


def round_money(value: Decimal, currency: str) -> Decimal:
    """Round once, half-even, to the currency's minor unit."""
    return value.quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


def validate_currency(code: str, field: Sequence[str | int]) -> str:
    if not isinstance(code, str) or not is_currency(code):
        raise InvalidInput(field, f"{code!r} is not an ISO 4217 currency code", "currency")
    return code


def validate_amount(value: Decimal, currency: str, field: Sequence[str | int]) -> Decimal:
    """Reject amounts with more places than the currency allows; never round silently."""
    if not value.is_finite():
        raise InvalidInput(field, "amount must be a finite number", "decimal")
    places = min(minor_unit(currency), AMOUNT_DECIMAL_PLACES)
    try:
        exact = value.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation as exc:
        raise InvalidInput(field, "amount is too large", "decimal") from exc
    if exact != value:
        raise InvalidInput(
            field, f"{currency} amounts allow at most {places} decimal places", "decimal_places"
        )
    if abs(exact) >= AMOUNT_LIMIT:
        raise InvalidInput(
            field, f"amount must be between -{AMOUNT_MAX} and {AMOUNT_MAX}", "decimal"
        )
    return exact.quantize(Decimal("0.01"))


def parse_decimal(raw: str, field: Sequence[str | int]) -> Decimal:
    try:
        value = Decimal(raw)
    except (InvalidOperation, TypeError) as exc:
        raise InvalidInput(field, f"{raw!r} is not a decimal number", "decimal") from exc
    if not value.is_finite():
        raise InvalidInput(field, "must be a finite number", "decimal")
    return value
