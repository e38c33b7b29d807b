"""Ledger writes: accounts, categories, transactions, transfers, exchange rates.

Every function is keyword-only, takes the acting ``tenant``, enters its scope and
runs in one ``transaction.atomic`` block. Transaction writes update the monthly
rollups inside that block (``rollups_apply``); other writes that change what the
dashboard shows bump the tenant's data version (``tenant_data_changed``).

Input errors are ``InvalidInput`` with a ``loc`` of the form
``["body", <field>]`` (bulk rows: ``["body", "transactions", <index>, <field>]``).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from findash.common.errors import Conflict, InvalidInput
from findash.common.money import RATE_DECIMAL_PLACES, RATE_MAX_DIGITS, validate_amount
from findash.ledger.bulk import NewTransaction, transaction_bulk_insert
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.ledger.rollup_rebuild import payee_rollups_rebuild
from findash.ledger.rollups import rollups_apply
from findash.ledger.schemas import (
    AccountIn,
    AccountPatch,
    CategoryIn,
    CategoryPatch,
    ExchangeRateIn,
    ExchangeRatePatch,
    TransactionIn,
    TransactionPatch,
    TransferIn,
)
from findash.ledger.signals import ledger_written_send
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, resolve_owned, tenant_scope
from findash.tenancy.versioning import tenant_data_changed

Loc = list[str | int]
BODY: Loc = ["body"]


def _patch_values(data: Any, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH body set; ``null`` only where the field is nullable."""
    values: dict[str, Any] = data.model_dump(exclude_unset=True)
    for field, value in values.items():
        if value is None and field not in nullable:
            raise InvalidInput([*BODY, field], "may not be null", "null")
    return values


# Accounts


def account_create(*, tenant: Tenant, data: AccountIn) -> Account:
    opening = validate_amount(data.opening_balance, data.currency, [*BODY, "opening_balance"])
    with tenant_scope(tenant), transaction.atomic():
        account = Account.objects.create(
            tenant=tenant,
            name=data.name,
            type=data.type,
            currency=data.currency,
            opening_balance=opening,
            is_archived=data.is_archived,
        )
        tenant_data_changed(tenant.pk)
    return account


def account_update(*, tenant: Tenant, account_id: int, data: AccountPatch) -> Account:
    values = _patch_values(data)
    with tenant_scope(tenant), transaction.atomic():
        account = get_owned_or_404(Account, account_id, label="account")
        currency = values.get("currency", account.currency)
        if currency != account.currency and Transaction.objects.filter(account=account).exists():
            raise Conflict(
                "the account has transactions; its currency cannot change "
                "(create a new account and transfer instead)"
            )
        opening = values.get("opening_balance", account.opening_balance)
        values["opening_balance"] = validate_amount(opening, currency, [*BODY, "opening_balance"])
        for field, value in values.items():
            setattr(account, field, value)
        account.save()
        tenant_data_changed(tenant.pk)
    return account


def account_delete(*, tenant: Tenant, account_id: int) -> None:
    with tenant_scope(tenant), transaction.atomic():
        account = get_owned_or_404(Account, account_id, label="account")
        in_use = Conflict(
            "the account has transactions; delete them first or archive the account "
            "(PATCH is_archived=true)"
        )
        if Transaction.objects.filter(account=account).exists():
            raise in_use
        try:
            with transaction.atomic():
                account.delete()
        except (ProtectedError, IntegrityError) as exc:  # a transaction was added meanwhile
            raise in_use from exc
        tenant_data_changed(tenant.pk)


# Categories


def _category_parent(
    parent_id: int | None, kind: str, category: Category | None
) -> Category | None:
    if parent_id is None:
        return None
    loc = [*BODY, "parent_id"]
    parent = resolve_owned(Category, parent_id, loc)
    if parent.kind != kind:
        raise InvalidInput(loc, f"the parent category is {parent.kind}, not {kind}", "kind")
    if category is not None:
        ancestor: Category | None = parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == category.pk:
                raise InvalidInput(loc, "a category cannot be its own ancestor", "cycle")
            seen.add(ancestor.pk)
            ancestor = Category.objects.get(pk=ancestor.parent_id) if ancestor.parent_id else None
    return parent


def category_create(*, tenant: Tenant, data: CategoryIn) -> Category:
    with tenant_scope(tenant), transaction.atomic():
        parent = _category_parent(data.parent_id, data.kind, None)
        category = Category.objects.create(
            tenant=tenant, name=data.name, kind=data.kind, parent=parent
        )
        tenant_data_changed(tenant.pk)
    return category


def category_update(*, tenant: Tenant, category_id: int, data: CategoryPatch) -> Category:
    values = _patch_values(data, nullable=frozenset({"parent_id"}))
    with tenant_scope(tenant), transaction.atomic():
        category = get_owned_or_404(Category, category_id, label="category")
        kind = values.get("kind", category.kind)
        parent_id = values.get("parent_id", category.parent_id)
        category.parent = _category_parent(parent_id, kind, category)
        if kind != category.kind and Category.objects.filter(parent=category).exists():
            raise InvalidInput(
                [*BODY, "kind"], "the category has subcategories of its current kind", "kind"
            )
        kind_changed = kind != category.kind
        category.kind = kind
        category.name = values.get("name", category.name)
        category.save()
        if kind_changed:  # its flows now count (or stop counting) as payee spending
            payee_rollups_rebuild(tenant=tenant)
        tenant_data_changed(tenant.pk)
    return category


def category_delete(*, tenant: Tenant, category_id: int) -> None:
    with tenant_scope(tenant), transaction.atomic():
        category = get_owned_or_404(Category, category_id, label="category")
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError as exc:
            raise Conflict(
                "the category is in use by transactions, budgets or subcategories; "
                "reassign or delete those first"
            ) from exc
        tenant_data_changed(tenant.pk)


# Transactions


def _checked_currency(account: Account, currency: str | None, loc: Loc) -> str:
    if currency is None:
        return account.currency
    if currency != account.currency:
        raise InvalidInput(
            [*loc, "currency"],
            f"currency {currency} does not match the account's currency {account.currency}",
            "currency_mismatch",
        )
    return currency


def _transaction_build(
    tenant: Tenant,
    row: TransactionIn,
    loc: Loc,
    accounts: dict[int, Account],
    categories: dict[int, Category],
) -> NewTransaction:
    account = accounts.get(row.account_id)
    if account is None:
        raise InvalidInput([*loc, "account_id"], f"account {row.account_id} does not exist")
    currency = _checked_currency(account, row.currency, loc)
    amount = validate_amount(row.amount, currency, [*loc, "amount"])
    if row.category_id is not None and row.category_id not in categories:
        raise InvalidInput([*loc, "category_id"], f"category {row.category_id} does not exist")
    return NewTransaction(
        tenant_id=tenant.pk,
        account_id=account.pk,
        date=row.date,
        amount=amount,
        currency=currency,
        category_id=row.category_id,
        description=row.description,
        payee=row.payee,
    )


def transaction_create(*, tenant: Tenant, data: TransactionIn) -> Transaction:
    with tenant_scope(tenant), transaction.atomic():
        account = resolve_owned(Account, data.account_id, [*BODY, "account_id"])
        categories: dict[int, Category] = {}
        if data.category_id is not None:
            category = resolve_owned(Category, data.category_id, [*BODY, "category_id"])
            categories[category.pk] = category
        row = _transaction_build(tenant, data, BODY, {account.pk: account}, categories)
        txn = Transaction.objects.create(
            **{field: getattr(row, field) for field in NewTransaction.__slots__}
        )
        rollups_apply(added=[txn])
        ledger_written_send(tenant=tenant, action="created", transactions=[txn])
    return txn


_TRANSFER_LOCKED_FIELDS = ("account_id", "amount", "currency", "date")


def transaction_update(
    *, tenant: Tenant, transaction_id: int, data: TransactionPatch
) -> Transaction:
    values = _patch_values(data, nullable=frozenset({"category_id"}))
    with tenant_scope(tenant), transaction.atomic():
        txn = get_owned_or_404(Transaction, transaction_id, label="transaction")
        old = copy.copy(txn)
        if txn.transfer_id is not None:
            for field in _TRANSFER_LOCKED_FIELDS:
                if field in values and values[field] != getattr(txn, field):
                    raise InvalidInput(
                        [*BODY, field],
                        "this transaction is part of a transfer; delete the transfer and "
                        "create a new one to change its account, amount, currency or date",
                        "transfer_leg",
                    )
        account = txn.account
        if "account_id" in values:
            account = resolve_owned(Account, values["account_id"], [*BODY, "account_id"])
        currency = _checked_currency(account, values.get("currency", txn.currency), BODY)
        amount = validate_amount(values.get("amount", txn.amount), currency, [*BODY, "amount"])
        if values.get("category_id") is not None:
            resolve_owned(Category, values["category_id"], [*BODY, "category_id"])
        txn.account = account
        txn.currency = currency
        txn.amount = amount
        for field in ("date", "category_id", "description", "payee"):
            if field in values:
                setattr(txn, field, values[field])
        txn.save()
        rollups_apply(removed=[old], added=[txn])
        ledger_written_send(tenant=tenant, action="updated", transactions=[txn], previous=[old])
    return txn


def transaction_delete(*, tenant: Tenant, transaction_id: int) -> None:
    """Delete a transaction; deleting one leg of a transfer deletes both."""
    with tenant_scope(tenant), transaction.atomic():
        txn = get_owned_or_404(Transaction, transaction_id, label="transaction")
        rows = [txn]
        if txn.transfer_id is not None:
            rows = list(Transaction.objects.filter(transfer_id=txn.transfer_id))
        Transaction.objects.filter(pk__in=[row.pk for row in rows]).delete()
        rollups_apply(removed=rows)
        ledger_written_send(tenant=tenant, action="deleted", transactions=rows)


def transaction_bulk_create(*, tenant: Tenant, rows: Sequence[TransactionIn]) -> int:
    """Create all rows or none; a bad row is a 422 whose loc holds its index."""
    with tenant_scope(tenant), transaction.atomic():
        accounts = {
            a.pk: a for a in Account.objects.filter(pk__in={row.account_id for row in rows})
        }
        category_ids = {row.category_id for row in rows if row.category_id is not None}
        categories = {c.pk: c for c in Category.objects.filter(pk__in=category_ids)}
        built = [
            _transaction_build(tenant, row, [*BODY, "transactions", index], accounts, categories)
            for index, row in enumerate(rows)
        ]
        return transaction_bulk_insert(tenant=tenant, rows=built)


# Transfers


def transfer_create(*, tenant: Tenant, data: TransferIn) -> list[Transaction]:
    """Two linked transactions: ``-amount`` on the source, ``+to_amount`` on the target."""
    with tenant_scope(tenant), transaction.atomic():
        source = resolve_owned(Account, data.from_account_id, [*BODY, "from_account_id"])
        target = resolve_owned(Account, data.to_account_id, [*BODY, "to_account_id"])
        if source.pk == target.pk:
            raise InvalidInput(
                [*BODY, "to_account_id"], "the source and target accounts must differ"
            )
        amount = validate_amount(data.amount, source.currency, [*BODY, "amount"])
        if amount <= 0:
            raise InvalidInput([*BODY, "amount"], "a transfer amount must be positive")
        to_amount = _transfer_to_amount(source, target, amount, data.to_amount)
        transfer_id = uuid.uuid4()
        legs = [
            Transaction(
                tenant=tenant,
                account=account,
                date=data.date,
                amount=leg_amount,
                currency=account.currency,
                description=data.description,
                transfer_id=transfer_id,
            )
            for account, leg_amount in ((source, -amount), (target, to_amount))
        ]
        for leg in legs:
            leg.save()
        rollups_apply(added=legs)
        ledger_written_send(tenant=tenant, action="created", transactions=legs)
    return legs


def _transfer_to_amount(
    source: Account, target: Account, amount: Decimal, to_amount: Decimal | None
) -> Decimal:
    loc = [*BODY, "to_amount"]
    if to_amount is None:
        if source.currency != target.currency:
            raise InvalidInput(
                loc,
                f"the accounts' currencies differ ({source.currency} → {target.currency}); "
                "give to_amount, the amount credited in the target's currency",
                "missing",
            )
        return amount
    to_amount = validate_amount(to_amount, target.currency, loc)
    if to_amount <= 0:
        raise InvalidInput(loc, "to_amount must be positive")
    if source.currency == target.currency and to_amount != amount:
        raise InvalidInput(loc, "to_amount must equal amount between accounts of one currency")
    return to_amount


# Exchange rates


def _validate_rate(rate: Decimal, loc: Loc) -> Decimal:
    if rate <= 0:
        raise InvalidInput(loc, "rate must be positive", "decimal")
    if rate >= Decimal(10) ** (RATE_MAX_DIGITS - RATE_DECIMAL_PLACES):
        raise InvalidInput(loc, "rate is too large", "decimal")
    exact = rate.quantize(Decimal(1).scaleb(-RATE_DECIMAL_PLACES))
    if exact != rate:
        raise InvalidInput(
            loc, f"rate allows at most {RATE_DECIMAL_PLACES} decimal places", "decimal_places"
        )
    return exact


def _rate_save(rate: ExchangeRate) -> ExchangeRate:
    if rate.base == rate.quote:
        raise InvalidInput([*BODY, "quote"], "base and quote must differ")
    duplicate = ExchangeRate.objects.filter(date=rate.date, base=rate.base, quote=rate.quote)
    if rate.pk is not None:
        duplicate = duplicate.exclude(pk=rate.pk)
    conflict = Conflict(f"a {rate.base}→{rate.quote} rate for {rate.date} already exists")
    if duplicate.exists():
        raise conflict
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError as exc:  # a concurrent writer won the race
        raise conflict from exc
    tenant_data_changed(rate.tenant_id)
    return rate


def exchange_rate_create(*, tenant: Tenant, data: ExchangeRateIn) -> ExchangeRate:
    rate = _validate_rate(data.rate, [*BODY, "rate"])
    with tenant_scope(tenant), transaction.atomic():
        return _rate_save(
            ExchangeRate(tenant=tenant, date=data.date, base=data.base, quote=data.quote, rate=rate)
        )


def exchange_rate_update(
    *, tenant: Tenant, exchange_rate_id: int, data: ExchangeRatePatch
) -> ExchangeRate:
    values = _patch_values(data)
    if "rate" in values:
        values["rate"] = _validate_rate(values["rate"], [*BODY, "rate"])
    with tenant_scope(tenant), transaction.atomic():
        rate = get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
        for field, value in values.items():
            setattr(rate, field, value)
        return _rate_save(rate)


def exchange_rate_delete(*, tenant: Tenant, exchange_rate_id: int) -> None:
    with tenant_scope(tenant), transaction.atomic():
        rate = get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
        rate.delete()
        tenant_data_changed(tenant.pk)
