"""What every parser produces, and the errors they raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from findash.common.errors import InvalidInput
from findash.common.limits import EARLIEST_DATE, LATEST_DATE

DESCRIPTION_MAX = 500
PAYEE_MAX = 200
BANK_ID_MAX = 255


@dataclass(slots=True)
class ParsedRow:
    where: str  # "line 12", "STMTTRN 3", "Ntry 3": how errors and previews name the row
    date: date
    amount: Decimal
    description: str = ""
    payee: str = ""
    bank_id: str = ""


def file_error(where: str, msg: str, type_: str = "file") -> InvalidInput:
    """A 422 on the uploaded file that names the line or element."""
    return InvalidInput(["file", where], f"{where}: {msg}", type_)


def clean_text(value: str | None, limit: int, where: str) -> str:
    text = " ".join((value or "").split())
    if "\x00" in text:
        raise file_error(where, "contains a NUL character", "nul")
    return text[:limit]


def check_date(value: date, where: str) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise file_error(where, f"date {value} is outside {EARLIEST_DATE}..{LATEST_DATE}", "date")
    return value
