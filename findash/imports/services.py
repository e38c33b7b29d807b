"""The one import service behind ``POST /imports`` and ``manage.py import_transactions``.

Parse the file, validate every row against the account, mark duplicates,
apply the tenant's rules, and either answer a preview (dry run) or write
everything in one database transaction through the ledger's bulk path (so the
rollups, the cache version and everything downstream move exactly as for
``POST /transactions/bulk``). Any bad row rejects the whole file; nothing is written.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from findash.common.errors import DomainError, InvalidInput
from findash.common.money import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    minor_unit,
    validate_amount,
)
from findash.imports.dedup import duplicates_mark
from findash.imports.models import ImportBatch
from findash.imports.parsers.camt_file import parse_camt053
from findash.imports.parsers.csv_file import CsvMapping, parse_csv
from findash.imports.parsers.ofx_file import parse_ofx
from findash.imports.parsers.rows import ParsedRow, file_error
from findash.ledger.bulk import NewTransaction, transaction_bulk_insert
from findash.ledger.models import Account
from findash.rules.matching import Outcome, rules_classify, rules_compile
from findash.rules.models import Rule
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import resolve_owned, scope_require

logger = logging.getLogger(__name__)
FORMATS = ("csv", "ofx", "qfx", "camt053")
PREVIEW_ROWS = 500


class FileTooLarge(DomainError):
    status_code = 413


@dataclass(frozen=True, slots=True)
class PreviewRow:
    where: str
    date: date
    amount: Decimal
    description: str
    payee: str
    bank_id: str
    category_id: int | None
    rule_id: int | None
    status: str  # "new" or "duplicate"


@dataclass
class ImportResult:
    dry_run: bool
    format: str
    account_id: int
    currency: str
    row_count: int
    created: int
    duplicates: int
    batch_id: int | None = None
    rows: list[PreviewRow] = field(default_factory=list)


def import_size_check(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileTooLarge(
            f"file: {size} bytes is over the import limit of {limit} bytes "
            "(IMPORT_MAX_BYTES); split the file"
        )


def _parse(fmt: str, data: bytes, mapping: CsvMapping | None) -> tuple[list[ParsedRow], str | None]:
    if fmt == "csv":
        return parse_csv(data, mapping or CsvMapping()), None
    if mapping is not None:
        raise InvalidInput(["mapping"], f"a mapping is only for CSV files, not {fmt}")
    if fmt in ("ofx", "qfx"):
        return parse_ofx(data)
    return parse_camt053(data)


def import_file(
    *,
    tenant: Tenant,
    account_id: int,
    fmt: str,
    data: bytes,
    filename: str = "",
    mapping: CsvMapping | None = None,
    dry_run: bool = False,
    user: User | None = None,
    preview_rows: int = PREVIEW_ROWS,
) -> ImportResult:
    scope_require(tenant)
    import_size_check(len(data))
    if fmt not in FORMATS:
        raise InvalidInput(
            ["format"], f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", "enum"
        )
    with transaction.atomic():
        account = resolve_owned(Account, account_id, ["account_id"])
        if not dry_run:  # one import per account at a time, so two cannot both miss a duplicate
            account = Account.objects.select_for_update().get(pk=account.pk)
        rows, file_currency = _parse(fmt, data, mapping)
        if file_currency and file_currency != account.currency:
            raise file_error(
                "CURDEF" if fmt != "camt053" else "Stmt/Acct/Ccy",
                f"the statement is in {file_currency}, the account in {account.currency}",
                "currency_mismatch",
            )
        _amounts_check(rows, account.currency)
        duplicates = duplicates_mark(account, rows)
        rules = rules_compile(Rule.objects.order_by("priority", "id"))
        outcomes = [
            rules_classify(
                rules,
                description=row.description,
                payee=row.payee,
                amount=row.amount,
                category_id=None,
            )
            for row in rows
        ]
        new = [
            _new_transaction(tenant, account, row, outcome)
            for row, outcome, duplicate in zip(rows, outcomes, duplicates, strict=True)
            if not duplicate
        ]
        result = ImportResult(
            dry_run=dry_run,
            format=fmt,
            account_id=account.pk,
            currency=account.currency,
            row_count=len(rows),
            created=len(new),
            duplicates=len(rows) - len(new),
            rows=[
                _preview(row, outcome, duplicate)
                for row, outcome, duplicate in zip(
                    rows[:preview_rows], outcomes, duplicates, strict=False
                )
            ],
        )
        if not dry_run:
            transaction_bulk_insert(tenant=tenant, rows=new)
            batch = ImportBatch.objects.create(
                tenant=tenant,
                account=account,
                format=fmt,
                filename=filename[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                created_count=result.created,
                duplicate_count=result.duplicates,
                created_by=user,
            )
            result.batch_id = batch.pk
            logger.info(
                "import committed",
                extra={
                    "tenant_id": tenant.public_id,
                    "import_id": batch.pk,
                    "format": fmt,
                    "created_count": result.created,
                    "duplicate_count": result.duplicates,
                },
            )
    return result


def _amounts_check(rows: list[ParsedRow], currency: str) -> None:
    """Each amount fits the account's currency (never rounded); descriptions fall back to
    the payee, so de-duplication has text to compare even when a rule renames the payee."""
    places = -min(minor_unit(currency), AMOUNT_DECIMAL_PLACES)
    limit = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES)
    cent = Decimal("0.01")
    for row in rows:
        amount = row.amount
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= places and abs(amount) < limit:
            row.amount = amount.quantize(cent)
        else:  # the full check, for its message
            row.amount = validate_amount(amount, currency, ["file", row.where])
        row.description = row.description or row.payee


def _new_transaction(
    tenant: Tenant, account: Account, row: ParsedRow, outcome: Outcome
) -> NewTransaction:
    return NewTransaction(
        tenant_id=tenant.pk,
        account_id=account.pk,
        date=row.date,
        amount=row.amount,
        currency=account.currency,
        category_id=outcome.category_id,
        description=row.description,
        payee=outcome.payee,
        bank_id=row.bank_id,
    )


def _preview(row: ParsedRow, outcome: Outcome, duplicate: bool) -> PreviewRow:
    return PreviewRow(
        where=row.where,
        date=row.date,
        amount=row.amount,
        description=row.description,
        payee=outcome.payee,
        bank_id=row.bank_id,
        category_id=outcome.category_id,
        rule_id=outcome.rule_id,
        status="duplicate" if duplicate else "new",
    )
