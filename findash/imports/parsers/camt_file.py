"""ISO 20022 CAMT.053 bank-to-customer statements (any ``camt.053.001.xx`` version).

Parsed with defusedxml: a DTD, entity declarations or external references are
refused before anything is expanded, so an XML bomb costs nothing. Only booked
entries are imported; pending (``PDNG``) and information-only ones are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405  # only the Element type; defusedxml parses
from datetime import date
from decimal import Decimal, InvalidOperation

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from findash.imports.parsers.rows import (
    BANK_ID_MAX,
    DESCRIPTION_MAX,
    PAYEE_MAX,
    ParsedRow,
    check_date,
    clean_text,
    file_error,
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _text(element: ET.Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name]


def parse_camt053(data: bytes) -> tuple[list[ParsedRow], str | None]:
    """The statement's booked entries, and the account currency (``Acct/Ccy``)."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException as exc:
        raise file_error(
            "DOCTYPE", f"DTDs and entity declarations are refused ({exc})", "xml_unsafe"
        ) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise file_error(
            f"line {line}", f"not well-formed XML, column {column + 1}", "xml"
        ) from exc
    statement_list = _child(root, "BkToCstmrStmt")
    if _local(root.tag) != "Document" or statement_list is None:
        raise file_error(
            _local(root.tag), "not a CAMT.053 document (Document/BkToCstmrStmt)", "camt"
        )
    statements = _children(statement_list, "Stmt")
    if len(statements) != 1:
        raise file_error(
            "BkToCstmrStmt",
            f"the file holds {len(statements)} statements (Stmt); upload exactly one",
            "camt",
        )
    statement = statements[0]
    currency = _text(statement, "Acct", "Ccy") or None
    rows = []
    for index, entry in enumerate(_children(statement, "Ntry"), start=1):
        status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
        if status and status != "BOOK":
            continue
        rows.append(_row(f"Stmt/Ntry[{index}]", entry, currency))
    return rows, currency


def _row(where: str, entry: ET.Element, currency: str | None) -> ParsedRow:
    amount_element = _child(entry, "Amt")
    raw_amount = _text(entry, "Amt")
    try:
        amount = Decimal(raw_amount)
    except InvalidOperation as exc:
        raise file_error(f"{where}/Amt", f"{raw_amount!r} is not an amount", "decimal") from exc
    if not amount.is_finite() or amount < 0:
        raise file_error(f"{where}/Amt", f"{raw_amount!r} is not an unsigned amount", "decimal")
    entry_currency = amount_element.get("Ccy") if amount_element is not None else None
    if currency and entry_currency and entry_currency != currency:
        raise file_error(
            f"{where}/Amt", f"currency {entry_currency} differs from the statement's {currency}"
        )
    indicator = _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise file_error(f"{where}/CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT", "camt")
    raw_date = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
    raw_date = raw_date or _text(entry, "ValDt", "Dt")
    try:
        day = date.fromisoformat(raw_date[:10])
    except ValueError as exc:
        raise file_error(f"{where}/BookgDt", f"{raw_date!r} is not a date", "date") from exc
    details = _child(entry, "NtryDtls", "TxDtls")
    party = "Cdtr" if indicator == "DBIT" else "Dbtr"
    payee = _text(details, "RltdPties", party, "Nm") or _text(
        details, "RltdPties", party, "Pty", "Nm"
    )
    remittance_info = _child(details, "RmtInf")
    remittance = (
        " ".join((c.text or "") for c in _children(remittance_info, "Ustrd"))
        if remittance_info is not None
        else ""
    )
    description = remittance or _text(entry, "AddtlNtryInf") or payee
    bank_id = _text(entry, "NtryRef") or _text(entry, "AcctSvcrRef")
    return ParsedRow(
        where=where,
        date=check_date(day, where),
        amount=amount if indicator == "CRDT" else -amount,
        description=clean_text(description, DESCRIPTION_MAX, where),
        payee=clean_text(payee, PAYEE_MAX, where),
        bank_id=clean_text(bank_id, BANK_ID_MAX, where),
    )
