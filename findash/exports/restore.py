"""Restore a ``full.json`` export into an empty tenant (``POST /imports/full``).

Everything is validated before anything is written and written in one
database transaction: a bad object rejects the file with its place in ``loc``.
Ids in the file are the exporting tenant's; new ids are assigned and every
reference is mapped. The tenant takes the export's base currency, so its
dashboard is the exporting tenant's.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from findash.budgets.models import Budget
from findash.common.errors import Conflict, InvalidInput
from findash.common.money import validate_amount
from findash.exports.json_export import FORMAT, VERSION
from findash.ledger.bulk import NewTransaction, transaction_bulk_insert
from findash.ledger.converted import converted_ensure
from findash.ledger.models import Account, Category, ExchangeRate
from findash.ledger.schemas import (
    AccountType,
    CategoryKind,
    Currency,
    Description,
    LedgerDate,
    Name,
    Payee,
)
from findash.rules.models import Rule
from findash.rules.schemas import Pattern, RuleName
from findash.rules.services import rule_validate
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import scope_require
from findash.tenancy.versioning import tenant_data_changed

FILE: list[str | int] = ["file"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Account(_Strict):
    id: int
    name: Name
    type: AccountType
    currency: Currency
    opening_balance: Decimal
    is_archived: bool = False


class _Category(_Strict):
    id: int
    name: Name
    kind: CategoryKind
    parent_id: int | None = None


class _Rate(_Strict):
    date: LedgerDate
    base: Currency
    quote: Currency
    rate: Annotated[Decimal, Field(gt=0, lt=10**10, decimal_places=10)]


class _Budget(_Strict):
    category_id: int
    amount: Decimal
    currency: Currency
    period: Literal["monthly"] = "monthly"
    alert_threshold: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=2)] = Decimal(80)
    rollover: Literal["none", "surplus", "full"] = "none"
    start_date: date


class _Rule(_Strict):
    name: RuleName = ""
    priority: int = Field(default=100, ge=-1_000_000, le=1_000_000)
    field: Literal["description", "payee", "any"] = "any"
    match_type: Literal["contains", "regex"]
    pattern: Pattern
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    category_id: int | None = None
    set_payee: Payee = ""
    is_active: bool = True


class _Transaction(_Strict):
    id: int | None = None
    account_id: int
    date: LedgerDate
    amount: Decimal
    currency: Currency
    category_id: int | None = None
    description: Description = ""
    payee: Payee = ""
    transfer_id: uuid.UUID | None = None
    bank_id: Annotated[str, Field(max_length=255)] = ""


class _Tenant(_Strict):
    name: str = ""
    base_currency: Currency


class _Export(_Strict):
    format: Literal["findash.full"]
    version: Literal[1]
    exported_at: str | None = None
    tenant: _Tenant
    accounts: list[_Account] = []
    categories: list[_Category] = []
    exchange_rates: list[_Rate] = []
    budgets: list[_Budget] = []
    rules: list[_Rule] = []
    transactions: list[_Transaction] = []


def _parsed(data: bytes) -> _Export:
    try:
        raw = json.loads(data, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "encoding"
        raise InvalidInput([*FILE, where], f"not a JSON document: {exc}", "json") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise InvalidInput(
            [*FILE, "format"], f"not a {FORMAT} version {VERSION} export (GET /exports/full.json)"
        )
    try:
        return _Export.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [part for part in first["loc"] if isinstance(part, str | int)]
        raise InvalidInput([*FILE, *loc], first["msg"], first["type"]) from exc


def _ref(mapping: dict[int, Any], old: int | None, loc: Sequence[str | int]) -> Any:
    if old is None:
        return None
    if old not in mapping:
        raise InvalidInput([*FILE, *loc], f"refers to {loc[-1]} {old}, which the file lacks")
    return mapping[old]


def _tenant_is_empty() -> bool:
    return not any(
        model.objects.exists() for model in (Account, Category, ExchangeRate, Budget, Rule)
    )


def full_restore(*, tenant: Tenant, data: bytes) -> dict[str, int]:
    scope_require(tenant)
    export = _parsed(data)
    with transaction.atomic():
        if not _tenant_is_empty():
            raise Conflict("restore needs an empty tenant: this one already has data")
        tenant.base_currency = export.tenant.base_currency
        tenant.save(update_fields=["base_currency"])
        accounts = _accounts(tenant, export.accounts)
        categories = _categories(tenant, export.categories)
        for i, rate in enumerate(export.exchange_rates):
            if rate.base == rate.quote:
                raise InvalidInput([*FILE, "exchange_rates", i, "quote"], "base and quote differ")
        ExchangeRate.objects.bulk_create(
            ExchangeRate(tenant=tenant, **rate.model_dump()) for rate in export.exchange_rates
        )
        for i, budget in enumerate(export.budgets):
            loc: list[str | int] = ["budgets", i, "category_id"]
            values = budget.model_dump()
            values["category"] = _ref(categories, values.pop("category_id"), loc)
            values["amount"] = validate_amount(
                budget.amount, budget.currency, [*FILE, "budgets", i, "amount"]
            )
            Budget.objects.create(tenant=tenant, **values)
        for i, rule in enumerate(export.rules):
            values = rule.model_dump()
            category = _ref(categories, values.pop("category_id"), ["rules", i, "category_id"])
            rule_obj = Rule(tenant=tenant, category=category, **values)
            rule_validate(rule_obj, loc=[*FILE, "rules", i])
            rule_obj.save()
        created = transaction_bulk_insert(
            tenant=tenant, rows=_transactions(tenant, export.transactions, accounts, categories)
        )
        converted_ensure()  # base, accounts and budgets all set at once
        tenant_data_changed(tenant.pk)
    return {
        "accounts": len(accounts),
        "categories": len(categories),
        "exchange_rates": len(export.exchange_rates),
        "budgets": len(export.budgets),
        "rules": len(export.rules),
        "transactions": created,
    }


def _accounts(tenant: Tenant, rows: list[_Account]) -> dict[int, Account]:
    accounts = {}
    for i, row in enumerate(rows):
        values = row.model_dump(exclude={"id"})
        values["opening_balance"] = validate_amount(
            row.opening_balance, row.currency, [*FILE, "accounts", i, "opening_balance"]
        )
        accounts[row.id] = Account.objects.create(tenant=tenant, **values)
    return accounts


def _categories(tenant: Tenant, rows: list[_Category]) -> dict[int, Category]:
    """Parents before children, whatever order the file lists them in."""
    by_id = {row.id: row for row in rows}
    created: dict[int, Category] = {}
    remaining = list(enumerate(rows))
    while remaining:
        ready = [(i, r) for i, r in remaining if r.parent_id is None or r.parent_id in created]
        if not ready:
            i, row = remaining[0]
            problem = "is missing" if row.parent_id not in by_id else "forms a cycle"
            raise InvalidInput([*FILE, "categories", i, "parent_id"], f"the parent {problem}")
        for i, row in ready:
            parent = created.get(row.parent_id) if row.parent_id is not None else None
            if parent is not None and parent.kind != row.kind:
                raise InvalidInput(
                    [*FILE, "categories", i, "kind"], "a subcategory has its parent's kind"
                )
            created[row.id] = Category.objects.create(
                tenant=tenant, name=row.name, kind=row.kind, parent=parent
            )
        remaining = [(i, r) for i, r in remaining if r.id not in created]
    return created


def _transactions(
    tenant: Tenant,
    rows: list[_Transaction],
    accounts: dict[int, Account],
    categories: dict[int, Category],
) -> list[NewTransaction]:
    built = []
    for i, row in enumerate(rows):
        loc: list[str | int] = ["transactions", i]
        account = _ref(accounts, row.account_id, [*loc, "account_id"])
        if row.currency != account.currency:
            raise InvalidInput([*FILE, *loc, "currency"], "differs from the account's currency")
        category = _ref(categories, row.category_id, [*loc, "category_id"])
        built.append(
            NewTransaction(
                tenant_id=tenant.pk,
                account_id=account.pk,
                date=row.date,
                amount=validate_amount(row.amount, row.currency, [*FILE, *loc, "amount"]),
                currency=row.currency,
                category_id=None if category is None else category.pk,
                description=row.description,
                payee=row.payee,
                transfer_id=row.transfer_id,
                bank_id=row.bank_id,
            )
        )
    return built
