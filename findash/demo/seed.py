"""The demo data behind ``manage.py seed_demo``.

A demo person and a demo organization, each with 18 months (ending this month)
of accounts, categories, transactions, transfers, exchange rates and budgets,
generated from ``demo_profiles`` by a seeded random source: the same month
always gives the same data. Seeding again leaves existing demo data alone;
``reset=True`` rebuilds it in place (same users and tenant ids).
"""

from __future__ import annotations

import calendar
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from findash.budgets.models import Budget
from findash.budgets.services import budget_create
from findash.demo.profiles import ORGANIZATION, PERSON, FlowSpec, Profile, TransferSpec
from findash.ledger.models import (
    Account,
    Category,
    ExchangeRate,
    Transaction,
)
from findash.ledger.rollup_rebuild import DERIVED
from findash.ledger.rollups import rollups_apply
from findash.tenancy.models import Membership, Role, Tenant
from findash.tenancy.scoping import tenant_scope
from findash.tenancy.services import user_register
from findash.tenancy.versioning import tenant_data_changed

DEMO_USERNAME = "demo"
# The demo login is published in the README and printed by seed_demo on purpose.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
DEMO_VIEWER_USERNAME = "demo-viewer"
DEMO_ORG_NAME = "Demo Household LLC"
MONTHS = 18
_SEED = 2026
_BULK_BATCH = 500


@dataclass(frozen=True)
class DemoSummary:
    username: str
    password: str
    viewer_username: str
    person_tenant_id: str
    org_tenant_id: str
    transactions: int
    created: bool  # False when the demo data was already there and left alone


def demo_seed(*, today: date | None = None, reset: bool = False) -> DemoSummary:
    """Create (or with ``reset`` rebuild) the demo tenants; all or nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        owner = _demo_user(DEMO_USERNAME, reset=reset)
        viewer = _demo_user(DEMO_VIEWER_USERNAME, reset=reset)
        person = _personal_tenant(owner)
        org = _demo_org(owner, viewer)
        tenants = ((person, PERSON), (org, ORGANIZATION))
        created = reset or not all(_has_data(tenant) for tenant, _ in tenants)
        if created:
            for salt, (tenant, profile) in enumerate(tenants):
                # Not for security: a fixed seed makes the demo reproducible.
                rng = random.Random(_SEED * 10 + salt)  # noqa: S311  # nosec B311
                with tenant_scope(tenant):
                    _wipe(tenant)
                    _populate(tenant, profile, rng=rng, today=today)
        count = sum(_transaction_count(tenant) for tenant, _ in tenants)
    return DemoSummary(
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        viewer_username=DEMO_VIEWER_USERNAME,
        person_tenant_id=person.public_id,
        org_tenant_id=org.public_id,
        transactions=count,
        created=created,
    )


def _demo_user(username: str, *, reset: bool) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user_register(username=username, password=DEMO_PASSWORD, email=f"{username}@example.com")
        return User.objects.get(username=username)
    if reset:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _personal_tenant(user: User) -> Tenant:
    membership = (
        Membership.objects.select_related("tenant")
        .filter(user=user, tenant__tenant_type=Tenant.Type.USER)
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.tenant
    tenant = Tenant.objects.create(tenant_type=Tenant.Type.USER, name=user.username)
    Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
    return tenant


def _demo_org(owner: User, viewer: User) -> Tenant:
    org = Tenant.objects.filter(
        tenant_type=Tenant.Type.ORGANIZATION,
        name=DEMO_ORG_NAME,
        memberships__user=owner,
        memberships__role=Role.OWNER,
    ).first()
    if org is None:
        org = Tenant.objects.create(
            tenant_type=Tenant.Type.ORGANIZATION, name=DEMO_ORG_NAME, base_currency="USD"
        )
        Membership.objects.create(tenant=org, user=owner, role=Role.OWNER)
    Membership.objects.get_or_create(tenant=org, user=viewer, defaults={"role": Role.VIEWER})
    return org


def _has_data(tenant: Tenant) -> bool:
    with tenant_scope(tenant):
        return Account.objects.exists()


def _transaction_count(tenant: Tenant) -> int:
    with tenant_scope(tenant):
        return Transaction.objects.count()


def _wipe(tenant: Tenant) -> None:
    """Delete the tenant's ledger and budgets (the caller holds its scope)."""
    for table in DERIVED:  # every derived table, whatever the ledger adds
        table.model._default_manager.all().delete()
    Transaction.objects.all().delete()
    Budget.objects.all().delete()
    ExchangeRate.objects.all().delete()
    while Category.objects.exists():  # leaves first: a parent is protected by its children
        Category.objects.filter(children__isnull=True).delete()
    Account.objects.all().delete()
    tenant_data_changed(tenant.pk)


def _add_months(first_day: date, months: int) -> date:
    years, month_index = divmod(first_day.month - 1 + months, 12)
    return date(first_day.year + years, month_index + 1, 1)


def _money(rng: random.Random, low: str, high: str) -> Decimal:
    cents = rng.randint(int(Decimal(low) * 100), int(Decimal(high) * 100))
    return Decimal(cents).scaleb(-2)


def _chance(rng: random.Random, probability: str) -> bool:
    return rng.randint(1, 10_000) <= int(Decimal(probability) * 10_000)


class _Builder:
    """Turns a profile's rules into one tenant's rows, month by month."""

    def __init__(self, tenant: Tenant, profile: Profile, rng: random.Random, today: date) -> None:
        self.tenant, self.profile, self.rng, self.today = tenant, profile, rng, today
        self.accounts: dict[str, Account] = {}
        self.categories: dict[str, Category] = {}
        self.rows: list[Transaction] = []
        self.balances: dict[str, Decimal] = {}

    def setup(self) -> None:
        for spec in self.profile.accounts:
            self.accounts[spec.key] = Account.objects.create(
                tenant=self.tenant,
                name=spec.name,
                type=spec.type,
                currency=spec.currency,
                opening_balance=Decimal(spec.opening_balance),
            )
            self.balances[spec.key] = Decimal(spec.opening_balance)
        for name in self.profile.income_categories:
            self._category(name, Category.Kind.INCOME, None)
        for parent_name, children in self.profile.expense_categories.items():
            parent = self._category(parent_name, Category.Kind.EXPENSE, None)
            for child in children:
                self._category(child, Category.Kind.EXPENSE, parent)

    def _category(self, name: str, kind: str, parent: Category | None) -> Category:
        category = Category.objects.create(tenant=self.tenant, name=name, kind=kind, parent=parent)
        self.categories[f"{parent.name}/{name}" if parent else name] = category
        return category

    def month(self, index: int, first_day: date) -> None:
        last_day = calendar.monthrange(first_day.year, first_day.month)[1]
        start_balances = dict(self.balances)
        for flow in self.profile.flows:
            if index % flow.every == 0:
                self._flow(flow, first_day, last_day)
        for spec in self.profile.transfers:
            if index % spec.every == 0:
                self._transfer(spec, first_day.replace(day=min(spec.day, last_day)), start_balances)

    def _add(self, key: str, day: date, amount: Decimal, **fields: object) -> None:
        if day > self.today:
            return
        account = self.accounts[key]
        self.rows.append(
            Transaction(
                tenant=self.tenant,
                account=account,
                date=day,
                month=day.replace(day=1),
                amount=amount,
                currency=account.currency,
                **fields,
            )
        )
        self.balances[key] += amount

    def _flow(self, flow: FlowSpec, first_day: date, last_day: int) -> None:
        category = self.categories[flow.category] if flow.category else None
        for _ in range(self.rng.randint(*flow.per_month)):
            day = first_day.replace(day=min(flow.day or self.rng.randint(1, last_day), last_day))
            amount = _money(self.rng, flow.low, flow.high)
            payee = self.rng.choice(flow.payees)
            description = category.name if category else payee
            signed = amount if flow.inflow else -amount
            self._add(
                flow.account, day, signed, category=category, payee=payee, description=description
            )
            if not flow.inflow and _chance(self.rng, flow.refund_rate):
                refund_day = day + timedelta(days=self.rng.randint(2, 12))
                self._add(
                    flow.account,
                    refund_day,
                    amount,
                    category=category,
                    payee=payee,
                    description=f"Refund: {description}",
                )

    def _transfer(self, spec: TransferSpec, day: date, start_balances: dict[str, Decimal]) -> None:
        owed = -start_balances[spec.target]  # what a card or loan still owes
        if spec.amount is None:
            amount = owed
        elif self.accounts[spec.target].is_liability:
            amount = min(Decimal(spec.amount), owed)
        else:
            amount = Decimal(spec.amount)
        if amount <= 0:
            return
        transfer_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        source, target = self.accounts[spec.source], self.accounts[spec.target]
        self._add(
            spec.source,
            day,
            -amount,
            transfer_id=transfer_id,
            description=f"Transfer to {target.name}",
        )
        self._add(
            spec.target,
            day,
            amount,
            transfer_id=transfer_id,
            description=f"Transfer from {source.name}",
        )

    def rates(self, months: list[date]) -> list[ExchangeRate]:
        rates = []
        for currency, (low, high) in self.profile.rates.items():
            for first_day in months:
                pips = self.rng.randint(int(Decimal(low) * 10_000), int(Decimal(high) * 10_000))
                rates.append(
                    ExchangeRate(
                        tenant=self.tenant,
                        date=first_day,
                        base=currency,
                        quote=self.tenant.base_currency,
                        rate=Decimal(pips).scaleb(-4),
                    )
                )
        return rates


def _populate(tenant: Tenant, profile: Profile, *, rng: random.Random, today: date) -> None:
    first_month = _add_months(today.replace(day=1), -(MONTHS - 1))
    months = [_add_months(first_month, offset) for offset in range(MONTHS)]
    builder = _Builder(tenant, profile, rng, today)
    builder.setup()
    for index, first_day in enumerate(months):
        builder.month(index, first_day)
    ExchangeRate.objects.bulk_create(builder.rates(months))
    rows = sorted(builder.rows, key=lambda row: row.date)
    Transaction.objects.bulk_create(rows, batch_size=_BULK_BATCH)
    rollups_apply(added=rows)
    for spec in profile.budgets:
        budget_create(
            tenant=tenant,
            category_id=builder.categories[spec.category].pk,
            amount=Decimal(spec.amount),
            currency=spec.currency,
            alert_threshold=Decimal(spec.alert_threshold),
            rollover=spec.rollover,
            start_date=first_month,
        )
