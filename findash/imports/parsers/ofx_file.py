"""OFX and QFX (Quicken's OFX) statements, parsed with ofxtools (OFX 1 SGML and OFX 2 XML).

We read the parsed element tree rather than ofxtools' converted models: the
posting date is taken as written (``DTPOSTED``'s first 8 digits), since
converting to UTC can move a midnight posting to the previous day.
"""

from __future__ import annotations

import io
import logging
import xml.etree.ElementTree as ET  # nosec B405  # only the Element type; ofxtools parses
from datetime import date
from decimal import Decimal, InvalidOperation

from ofxtools.Parser import OFXTree

from findash.imports.parsers.rows import (
    BANK_ID_MAX,
    DESCRIPTION_MAX,
    PAYEE_MAX,
    ParsedRow,
    check_date,
    clean_text,
    file_error,
)

logging.getLogger("ofxtools").setLevel(logging.WARNING)  # it logs every parse at INFO
STATEMENT_TAGS = ("STMTRS", "CCSTMTRS")


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def parse_ofx(data: bytes) -> tuple[list[ParsedRow], str | None]:
    """The statement's transactions, and its currency (``CURDEF``)."""
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
    except Exception as exc:  # ofxtools raises many types for malformed input
        raise file_error("OFX", f"not a readable OFX/QFX file ({exc})", "ofx") from exc
    root = tree.getroot()
    if root is None:
        raise file_error("OFX", "the file has no OFX body", "ofx")
    statements = [s for tag in STATEMENT_TAGS for s in root.iter(tag)]
    if not statements:
        raise file_error("OFX", "no bank or credit card statement (STMTRS/CCSTMTRS)", "ofx")
    if len(statements) > 1:
        raise file_error(
            "OFX", f"the file holds {len(statements)} statements; upload one account's", "ofx"
        )
    statement = statements[0]
    currency = _text(statement, "CURDEF") or None
    rows = [
        _row(f"STMTTRN {index}", element)
        for index, element in enumerate(statement.iter("STMTTRN"), start=1)
    ]
    return rows, currency


def _row(where: str, element: ET.Element) -> ParsedRow:
    raw_date = _text(element, "DTPOSTED")
    try:
        day = date(int(raw_date[0:4]), int(raw_date[4:6]), int(raw_date[6:8]))
    except ValueError as exc:
        raise file_error(f"{where}/DTPOSTED", f"{raw_date!r} is not an OFX date", "date") from exc
    raw_amount = _text(element, "TRNAMT")
    try:
        amount = Decimal(raw_amount.replace(",", "."))
    except InvalidOperation as exc:
        raise file_error(f"{where}/TRNAMT", f"{raw_amount!r} is not an amount", "decimal") from exc
    if not amount.is_finite():
        raise file_error(f"{where}/TRNAMT", f"{raw_amount!r} is not an amount", "decimal")
    payee = _text(element, "NAME") or _text(element, "PAYEE/NAME")
    memo = _text(element, "MEMO")
    return ParsedRow(
        where=where,
        date=check_date(day, where),
        amount=amount,
        description=clean_text(memo or payee, DESCRIPTION_MAX, where),
        payee=clean_text(payee, PAYEE_MAX, where),
        bank_id=clean_text(_text(element, "FITID"), BANK_ID_MAX, where),
    )
