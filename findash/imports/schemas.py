"""/imports schemas (the upload itself is a multipart form, see ``api``)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from findash.common.schemas import DecimalOut


class ImportRowOut(Schema):
    where: str = Field(description='the row\'s place in the file: "line 12", "STMTTRN 3", …')
    date: date
    amount: DecimalOut
    description: str
    payee: str
    bank_id: str
    category_id: int | None
    rule_id: int | None = Field(description="the categorization rule that matched, if any")
    status: str = Field(description='"new" or "duplicate" (already in the account; skipped)')


class ImportOut(Schema):
    dry_run: bool
    batch_id: int | None = Field(description="the committed import; null on a dry run")
    format: str
    account_id: int
    currency: str
    row_count: int = Field(description="rows read from the file")
    created: int
    duplicates: int
    rows: list[ImportRowOut] = Field(description="the first 500 rows of the file, in order")


class ImportBatchOut(Schema):
    id: int
    account_id: int
    format: str
    filename: str
    sha256: str
    created_count: int
    duplicate_count: int
    created_at: datetime
