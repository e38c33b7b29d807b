"""``transactions.csv``: one row per transaction, oldest first.

Its ``date, amount, description, payee, bank_id`` columns are what the CSV
importer's default mapping reads, so one account's export re-imports as it is.
Text cells that a spreadsheet would run as a formula (starting with ``= + - @``,
a tab or a carriage return) get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from findash.common.money import round_money
from findash.exports.tables import TenantTables

HEADER = (
    "id",
    "date",
    "account_id",
    "account",
    "amount",
    "currency",
    "category_id",
    "category",
    "description",
    "payee",
    "transfer_id",
    "bank_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 1000


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def transactions_csv(tables: TenantTables) -> Iterator[str]:
    accounts = {a.pk: a.name for a in tables.accounts}
    categories = {c.pk: c.name for c in tables.categories}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for count, row in enumerate(tables.transaction_rows(), start=1):
        category_id = row["category_id"]
        writer.writerow(
            (
                row["id"],
                row["date"].isoformat(),
                row["account_id"],
                _cell(accounts.get(row["account_id"], "")),
                format(round_money(row["amount"], row["currency"]), "f"),
                row["currency"],
                "" if category_id is None else category_id,
                _cell(categories.get(category_id, "")) if category_id is not None else "",
                _cell(row["description"]),
                _cell(row["payee"]),
                row["transfer_id"] or "",
                _cell(row["bank_id"]),
            )
        )
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
