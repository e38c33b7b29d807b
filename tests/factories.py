"""Test data builders, all in one place. They write through the services' models directly."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from findash.budgets.models import Budget
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.ledger.rollups import rollups_apply
from findash.tenancy.models import Membership, Role, Tenant
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.tokens import token_pair_issue

_seq = itertools.count(1)


def make_user(username: str | None = None, *, base_currency: str = "USD") -> User:
    """A user with a personal tenant, as registration creates."""
    name = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=name, password="correct horse battery")
    tenant = Tenant.objects.create(
        tenant_type=Tenant.Type.USER, name=name, base_currency=base_currency
    )
    Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
    return user


def personal_tenant(user: User) -> Tenant:
    return Tenant.objects.get(memberships__user=user, tenant_type=Tenant.Type.USER)


def make_org(owner: User, name: str = "Acme", *, base_currency: str = "USD") -> Tenant:
    org = Tenant.objects.create(
        tenant_type=Tenant.Type.ORGANIZATION, name=name, base_currency=base_currency
    )
    Membership.objects.create(tenant=org, user=owner, role=Role.OWNER)
    return org


def add_member(tenant: Tenant, user: User, role: str) -> Membership:
    return Membership.objects.create(tenant=tenant, user=user, role=role)


def bearer(user: User) -> str:
    return f"Bearer {token_pair_issue(user=user).access_token}"


def make_account(tenant: Tenant, **fields: Any) -> Account:
    data: dict[str, Any] = {
        "name": f"Account {next(_seq)}",
        "type": Account.Type.CHECKING,
        "currency": tenant.base_currency,
        "opening_balance": Decimal("0.00"),
        **fields,
    }
    with tenant_scope(tenant):
        return Account.objects.create(**data)


def make_category(tenant: Tenant, **fields: Any) -> Category:
    data: dict[str, Any] = {
        "name": f"Category {next(_seq)}",
        "kind": Category.Kind.EXPENSE,
        **fields,
    }
    with tenant_scope(tenant):
        return Category.objects.create(**data)


def make_transaction(tenant: Tenant, account: Account, **fields: Any) -> Transaction:
    """A transaction written with its rollups, as the ledger services do."""
    data: dict[str, Any] = {
        "date": date(2026, 1, 15),
        "amount": Decimal("-10.00"),
        "currency": account.currency,
        "description": "",
        "payee": "",
        **fields,
    }
    with tenant_scope(tenant):
        txn = Transaction.objects.create(account=account, **data)
        rollups_apply(added=[txn])
        return txn


def make_budget(tenant: Tenant, category: Category, **fields: Any) -> Budget:
    data: dict[str, Any] = {
        "amount": Decimal("100.00"),
        "currency": tenant.base_currency,
        "start_date": date(2026, 1, 1),
        **fields,
    }
    with tenant_scope(tenant):
        return Budget.objects.create(category=category, **data)


def make_rate(tenant: Tenant, base: str, quote: str, rate: str, day: date) -> ExchangeRate:
    with tenant_scope(tenant):
        return ExchangeRate.objects.create(base=base, quote=quote, rate=Decimal(rate), date=day)
