"""CSV bank exports, read with the csv module through a column mapping.

The default mapping reads findash's own ``transactions.csv`` export: columns
``date``, ``amount``, ``description``, ``payee``, ``bank_id`` (the last three
optional), ISO dates, ``.`` as decimal separator, positive amounts flowing in.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from findash.common.errors import InvalidInput
from findash.common.schemas import StrictIn
from findash.imports.parsers.rows import (
    BANK_ID_MAX,
    DESCRIPTION_MAX,
    PAYEE_MAX,
    ParsedRow,
    check_date,
    clean_text,
    file_error,
)

Column = str | Annotated[int, Field(ge=0, le=1000)]
_MAPPING_LOC = ["mapping"]
_OPTIONAL_BY_DEFAULT = ("description", "payee", "bank_id")
_TEXT_LIMITS = {"description": DESCRIPTION_MAX, "payee": PAYEE_MAX, "bank_id": BANK_ID_MAX}


class CsvMapping(StrictIn):
    """Which column holds what, and how dates and numbers are written.

    A column is named by its header text (exact, surrounding spaces ignored) or by
    its 0-based position. Give ``amount``, or ``debit`` and/or ``credit``
    (unsigned money out / in, in two columns).
    """

    date: Column = "date"
    amount: Column | None = "amount"
    debit: Column | None = None
    credit: Column | None = None
    description: Column | None = "description"
    payee: Column | None = "payee"
    bank_id: Column | None = "bank_id"
    date_format: str = Field(default="%Y-%m-%d", min_length=2, max_length=40)
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Literal["", ",", ".", " ", "'"] = ""
    sign: Literal["inflow_positive", "outflow_positive"] = Field(
        default="inflow_positive",
        description="outflow_positive: the file writes money out as positive (card statements)",
    )
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quotechar: str = Field(default='"', min_length=1, max_length=1)
    header: bool = True
    skip_lines: int = Field(
        default=0, ge=0, le=100, description="lines before the header to ignore"
    )
    encoding: str = Field(default="utf-8", max_length=40)


def _decode(data: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise InvalidInput(
            [*_MAPPING_LOC, "encoding"], f"unknown encoding {encoding!r}", "encoding"
        ) from exc
    name = "utf-8-sig" if codec.name == "utf-8" else codec.name
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise file_error(
            f"line {line}",
            f"byte 0x{data[exc.start]:02x} is not valid {encoding}; "
            "set mapping.encoding (e.g. latin-1 or cp1252) to the file's encoding",
            "encoding",
        ) from exc


class _Columns:
    """Resolves the mapping's column references against the header."""

    def __init__(self, mapping: CsvMapping, header: list[str] | None) -> None:
        self.positions: dict[str, int] = {}
        explicit = mapping.model_fields_set
        names = [cell.strip() for cell in header] if header is not None else None
        for field in ("date", "amount", "debit", "credit", *_OPTIONAL_BY_DEFAULT):
            ref = getattr(mapping, field)
            if ref is None or (
                field == "amount" and {"debit", "credit"} & explicit and "amount" not in explicit
            ):
                continue
            if isinstance(ref, int):
                self.positions[field] = ref
            elif names is None:
                raise InvalidInput(
                    [*_MAPPING_LOC, field],
                    f"the file has no header (mapping.header is false): name column {ref!r} "
                    "by its 0-based position",
                    "column",
                )
            elif ref.strip() in names:
                self.positions[field] = names.index(ref.strip())
            elif field in explicit or field in ("date", "amount"):
                raise InvalidInput(
                    [*_MAPPING_LOC, field],
                    f"column {ref!r} is not in the file's header (it has: "
                    f"{', '.join(repr(n) for n in names)})",
                    "column",
                )
        if not {"amount", "debit", "credit"} & self.positions.keys():
            raise InvalidInput(
                [*_MAPPING_LOC, "amount"], "map amount, or debit and/or credit", "column"
            )
        self.labels = {
            field: repr(names[pos]) if names and pos < len(names) else f"#{pos}"
            for field, pos in self.positions.items()
        }


_PLAIN_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")


def _amount(raw: str, mapping: CsvMapping, where: str) -> Decimal:
    text = raw.strip()
    if mapping.decimal_separator == "," and not mapping.thousands_separator:
        simple = text.replace(",", ".", 1) if "." not in text else text + "x"
    else:
        simple = text
    if _PLAIN_AMOUNT.fullmatch(simple):  # the common case, without the general cleanup
        return Decimal(simple)
    text = text.replace("\u00a0", "").replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):  # "12,50-": a trailing minus, common in German bank exports
        negative, text = True, text[:-1]
    text = re.sub(r"^[^\d\-+.,]+|[^\d.,]+$", "", text)  # currency symbols or codes around it
    if mapping.thousands_separator:
        text = text.replace(mapping.thousands_separator, "")
    if mapping.decimal_separator == ",":
        if "." in text:
            raise file_error(where, f"{raw!r}: '.' in an amount whose decimal separator is ','")
        text = text.replace(",", ".")
    elif "," in text:
        raise file_error(
            where, f"{raw!r} has a ','; set mapping.decimal_separator or thousands_separator"
        )
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise file_error(where, f"{raw!r} is not an amount", "decimal") from exc
    if not value.is_finite():
        raise file_error(where, f"{raw!r} is not an amount", "decimal")
    return -value if negative else value


def _records(text: str, mapping: CsvMapping) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=mapping.delimiter, quotechar=mapping.quotechar
    )
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise file_error(f"line {start}", f"not valid CSV ({exc})", "csv") from exc
        if any(cell.strip() for cell in record):
            yield start, record


def parse_csv(data: bytes, mapping: CsvMapping) -> list[ParsedRow]:
    text = _decode(data, mapping.encoding)
    records = _records(text, mapping)
    for _ in range(mapping.skip_lines):
        next(records, None)
    header: list[str] | None = None
    if mapping.header:
        first = next(records, None)
        if first is None:
            raise file_error("line 1", "the file is empty; expected a header line", "empty")
        header = first[1]
    reader = _RowReader(mapping, _Columns(mapping, header))
    return [reader.row(line, record) for line, record in records]


class _RowReader:
    """Turns records into rows; bank files repeat dates, so each distinct one parses once."""

    def __init__(self, mapping: CsvMapping, columns: _Columns) -> None:
        self.mapping = mapping
        self.columns = columns
        self.dates: dict[str, date] = {}
        positions = columns.positions
        self.money = [
            (field, positions[field], sign)
            for field, sign in (("amount", 1), ("credit", 1), ("debit", -1))
            if field in positions
        ]
        self.texts = [(f, positions[f]) for f in _OPTIONAL_BY_DEFAULT if f in positions]
        self.width = max(positions.values()) + 1
        self.negate = mapping.sign == "outflow_positive"

    def _missing(self, where: str, record: list[str]) -> InvalidInput:
        field = next(f for f, pos in self.columns.positions.items() if pos >= len(record))
        return file_error(
            where,
            f"has {len(record)} columns; column {self.columns.labels[field]} ({field}) is missing",
            "column",
        )

    def _date(self, raw: str, where: str) -> date:
        day = self.dates.get(raw)
        if day is None:
            try:
                day = datetime.strptime(raw, self.mapping.date_format).date()
            except ValueError as exc:
                raise file_error(
                    f"{where}, column {self.columns.labels['date']}",
                    f"{raw!r} does not match the date format {self.mapping.date_format!r}",
                    "date",
                ) from exc
            self.dates[raw] = check_date(day, where)
        return day

    def row(self, line: int, record: list[str]) -> ParsedRow:
        where = f"line {line}"
        if len(record) < self.width:
            raise self._missing(where, record)
        day = self._date(record[self.columns.positions["date"]].strip(), where)
        amount = Decimal(0)
        for field, pos, sign in self.money:
            raw = record[pos]
            if field != "amount":
                if not raw.strip():
                    continue
                label = f"{where}, column {self.columns.labels[field]}"
                amount += sign * abs(_amount(raw, self.mapping, label))
            else:
                amount += _amount(
                    raw, self.mapping, f"{where}, column {self.columns.labels[field]}"
                )
        texts = {f: clean_text(record[pos], _TEXT_LIMITS[f], where) for f, pos in self.texts}
        return ParsedRow(where=where, date=day, amount=-amount if self.negate else amount, **texts)


def mapping_parse(raw: str | None) -> CsvMapping | None:
    """The mapping form field: a JSON object, or nothing for the default mapping."""
    if raw is None or not raw.strip():
        return None
    try:
        return CsvMapping.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [*_MAPPING_LOC, *(part for part in first["loc"] if isinstance(part, str | int))]
        if first["type"] == "json_invalid":
            raise InvalidInput(_MAPPING_LOC, f"not a JSON object: {first['msg']}", "json") from exc
        raise InvalidInput(loc, first["msg"], first["type"]) from exc
