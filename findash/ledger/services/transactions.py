"""Transaction and transfer writes; each updates the rollups inside its atomic block."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from findash.common.errors import InvalidInput
from findash.common.money import validate_amount
from findash.common.patches import patch_changes
from findash.ledger.bulk import NewTransaction, transaction_bulk_insert
from findash.ledger.models import Account, Category, Transaction
from findash.ledger.rollups import rollups_apply
from findash.ledger.services.inputs import Loc, TransactionInput
from findash.ledger.signals import ledger_written_send
from findash.ledger.tenant_lock import tenant_write
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, resolve_owned, scope_require

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
    row: TransactionInput,
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


def transaction_create(
    *,
    tenant: Tenant,
    account_id: int,
    date: date,
    amount: Decimal,
    currency: str | None = None,
    category_id: int | None = None,
    description: str = "",
    payee: str = "",
) -> Transaction:
    scope_require(tenant)
    data = TransactionInput(account_id, date, amount, currency, category_id, description, payee)
    with tenant_write(tenant.pk):
        account = resolve_owned(Account, account_id, ["account_id"])
        categories: dict[int, Category] = {}
        if category_id is not None:
            category = resolve_owned(Category, category_id, ["category_id"])
            categories[category.pk] = category
        row = _transaction_build(tenant, data, [], {account.pk: account}, categories)
        txn = Transaction.objects.create(
            **{field: getattr(row, field) for field in NewTransaction.__slots__}
        )
        rollups_apply(added=[txn])
        ledger_written_send(tenant=tenant, action="created", transactions=[txn])
    return txn


_TRANSFER_LOCKED_FIELDS = ("account_id", "amount", "currency", "date")


def transaction_update(
    *, tenant: Tenant, transaction_id: int, changes: Mapping[str, Any]
) -> Transaction:
    scope_require(tenant)
    values = patch_changes(changes, nullable=frozenset({"category_id"}))
    with tenant_write(tenant.pk):
        txn = get_owned_or_404(Transaction, transaction_id, label="transaction")
        old = copy.copy(txn)
        if txn.transfer_id is not None:
            for field in _TRANSFER_LOCKED_FIELDS:
                if field in values and values[field] != getattr(txn, field):
                    raise InvalidInput(
                        [field],
                        "this transaction is part of a transfer; delete the transfer and "
                        "create a new one to change its account, amount, currency or date",
                        "transfer_leg",
                    )
        account = txn.account
        if "account_id" in values:
            account = resolve_owned(Account, values["account_id"], ["account_id"])
        currency = _checked_currency(account, values.get("currency", txn.currency), [])
        amount = validate_amount(values.get("amount", txn.amount), currency, ["amount"])
        if values.get("category_id") is not None:
            resolve_owned(Category, values["category_id"], ["category_id"])
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
    scope_require(tenant)
    with tenant_write(tenant.pk):
        txn = get_owned_or_404(Transaction, transaction_id, label="transaction")
        rows = [txn]
        if txn.transfer_id is not None:
            rows = list(Transaction.objects.filter(transfer_id=txn.transfer_id))
        Transaction.objects.filter(pk__in=[row.pk for row in rows]).delete()
        rollups_apply(removed=rows)
        ledger_written_send(tenant=tenant, action="deleted", transactions=rows)


def transaction_bulk_create(*, tenant: Tenant, rows: Sequence[TransactionInput]) -> int:
    """Create all rows or none; a bad row is an error on ``("transactions", index, field)``."""
    scope_require(tenant)
    with tenant_write(tenant.pk):
        accounts = {
            a.pk: a for a in Account.objects.filter(pk__in={row.account_id for row in rows})
        }
        category_ids = {row.category_id for row in rows if row.category_id is not None}
        categories = {c.pk: c for c in Category.objects.filter(pk__in=category_ids)}
        built = [
            _transaction_build(tenant, row, ["transactions", index], accounts, categories)
            for index, row in enumerate(rows)
        ]
        return transaction_bulk_insert(tenant=tenant, rows=built)


# Transfers


def transfer_create(
    *,
    tenant: Tenant,
    from_account_id: int,
    to_account_id: int,
    date: date,
    amount: Decimal,
    to_amount: Decimal | None = None,
    description: str = "",
) -> list[Transaction]:
    """Two linked transactions: ``-amount`` on the source, ``+to_amount`` on the target."""
    scope_require(tenant)
    with tenant_write(tenant.pk):
        source = resolve_owned(Account, from_account_id, ["from_account_id"])
        target = resolve_owned(Account, to_account_id, ["to_account_id"])
        if source.pk == target.pk:
            raise InvalidInput(["to_account_id"], "the source and target accounts must differ")
        amount = validate_amount(amount, source.currency, ["amount"])
        if amount <= 0:
            raise InvalidInput(["amount"], "a transfer amount must be positive")
        credited = _transfer_to_amount(source, target, amount, to_amount)
        transfer_id = uuid.uuid4()
        legs = [
            Transaction(
                tenant=tenant,
                account=account,
                date=date,
                amount=leg_amount,
                currency=account.currency,
                description=description,
                transfer_id=transfer_id,
            )
            for account, leg_amount in ((source, -amount), (target, credited))
        ]
        for leg in legs:
            leg.save()
        rollups_apply(added=legs)
        ledger_written_send(tenant=tenant, action="created", transactions=legs)
    return legs


def _transfer_to_amount(
    source: Account, target: Account, amount: Decimal, to_amount: Decimal | None
) -> Decimal:
    loc = ["to_amount"]
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
