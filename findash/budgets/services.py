"""Budget writes. Each validates the whole resulting budget, writes atomically and
marks the tenant's data changed so cached dashboards go stale. The service convention of
docs/ARCHITECTURE.md: keyword-only, the acting ``tenant`` (whose scope the edge entered),
primitives in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from findash.budgets.models import Budget
from findash.budgets.signals import budget_written
from findash.common.errors import InvalidInput
from findash.common.limits import EARLIEST_DATE, LATEST_DATE
from findash.common.money import validate_amount, validate_currency
from findash.common.patches import patch_changes
from findash.ledger.converted import converted_ensure
from findash.ledger.models import Category
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, resolve_owned, scope_require
from findash.tenancy.versioning import tenant_data_changed

MAX_ALERT_THRESHOLD = Decimal(1000)
_PATCHABLE = frozenset(
    {"category_id", "amount", "currency", "period", "alert_threshold", "rollover", "start_date"}
)


def _expense_category(category_id: int) -> Category:
    category = resolve_owned(Category, category_id, ["category_id"])
    if category.kind != Category.Kind.EXPENSE:
        raise InvalidInput(
            ["category_id"],
            f"category {category_id} is an income category; budgets limit expense categories",
            "category_kind",
        )
    return category


def _limit(amount: Decimal, currency: str) -> Decimal:
    exact = validate_amount(amount, currency, ["amount"])
    if exact < 0:
        raise InvalidInput(["amount"], "a budget limit cannot be negative", "greater_than_equal")
    return exact


def _alert_threshold(value: Decimal) -> Decimal:
    if not value.is_finite() or not Decimal(0) < value <= MAX_ALERT_THRESHOLD:
        raise InvalidInput(
            ["alert_threshold"],
            f"alert_threshold is a percent greater than 0 and at most {MAX_ALERT_THRESHOLD}",
            "range",
        )
    exact = value.quantize(Decimal("0.01"))
    if exact != value:
        raise InvalidInput(
            ["alert_threshold"], "alert_threshold allows at most 2 decimal places", "decimal"
        )
    return exact


def _start_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(
            ["start_date"],
            f"start_date must be between {EARLIEST_DATE} and {LATEST_DATE}",
            "date_range",
        )
    return value


def budget_create(
    *,
    tenant: Tenant,
    category_id: int,
    amount: Decimal,
    currency: str | None = None,
    period: str = Budget.Period.MONTHLY,
    alert_threshold: Decimal = Decimal(80),
    rollover: str = Budget.Rollover.NONE,
    start_date: date | None = None,
) -> Budget:
    scope_require(tenant)
    code = validate_currency(currency or tenant.base_currency, ["currency"])
    with transaction.atomic():
        budget = Budget.objects.create(
            tenant=tenant,
            category=_expense_category(category_id),
            amount=_limit(amount, code),
            currency=code,
            period=period,
            alert_threshold=_alert_threshold(alert_threshold),
            rollover=rollover,
            start_date=_start_date(start_date or timezone.localdate().replace(day=1)),
        )
        if code != tenant.base_currency:
            converted_ensure()  # a new target currency
        tenant_data_changed(tenant.pk)
        budget_written.send(sender=Budget, budget=budget)
    return budget


def budget_update(*, tenant: Tenant, budget_id: int, changes: Mapping[str, Any]) -> Budget:
    """Apply a partial update; the fields not named keep their values."""
    scope_require(tenant)
    budget = get_owned_or_404(Budget, budget_id, label="budget")
    for field in changes:
        if field not in _PATCHABLE:
            raise InvalidInput([field], f"{field} cannot be changed", "read_only")
    changes = patch_changes(changes, null_message="{field} cannot be null")
    currency = validate_currency(changes.get("currency", budget.currency), ["currency"])
    with transaction.atomic():
        if "category_id" in changes:
            budget.category = _expense_category(changes["category_id"])
        # A currency change re-checks the stored limit against the new minor unit.
        budget.amount = _limit(changes.get("amount", budget.amount), currency)
        budget.currency = currency
        budget.alert_threshold = _alert_threshold(
            changes.get("alert_threshold", budget.alert_threshold)
        )
        budget.start_date = _start_date(changes.get("start_date", budget.start_date))
        budget.period = changes.get("period", budget.period)
        budget.rollover = changes.get("rollover", budget.rollover)
        budget.save()
        if currency != tenant.base_currency:
            converted_ensure()  # a new target currency
        tenant_data_changed(tenant.pk)
        budget_written.send(sender=Budget, budget=budget)
    return budget


def budget_delete(*, tenant: Tenant, budget_id: int) -> None:
    scope_require(tenant)
    with transaction.atomic():
        get_owned_or_404(Budget, budget_id, label="budget").delete()
        tenant_data_changed(tenant.pk)
