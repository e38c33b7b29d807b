"""Budget writes. Each validates the whole resulting budget, writes atomically and
marks the tenant's data changed so cached dashboards go stale."""

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
from findash.common.money import validate_amount, validate_currency
from findash.ledger.models import Category
from findash.ledger.schemas import EARLIEST_DATE, LATEST_DATE
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import resolve_owned
from findash.tenancy.versioning import tenant_data_changed

MAX_ALERT_THRESHOLD = Decimal(1000)
_PATCHABLE = frozenset(
    {"category_id", "amount", "currency", "period", "alert_threshold", "rollover", "start_date"}
)


def _loc(field: str) -> list[str | int]:
    return ["body", "payload", field]


def _expense_category(category_id: int) -> Category:
    category = resolve_owned(Category, category_id, _loc("category_id"))
    if category.kind != Category.Kind.EXPENSE:
        raise InvalidInput(
            _loc("category_id"),
            f"category {category_id} is an income category; budgets limit expense categories",
            "category_kind",
        )
    return category


def _limit(amount: Decimal, currency: str) -> Decimal:
    exact = validate_amount(amount, currency, _loc("amount"))
    if exact < 0:
        raise InvalidInput(
            _loc("amount"), "a budget limit cannot be negative", "greater_than_equal"
        )
    return exact


def _alert_threshold(value: Decimal) -> Decimal:
    if not value.is_finite() or not Decimal(0) < value <= MAX_ALERT_THRESHOLD:
        raise InvalidInput(
            _loc("alert_threshold"),
            f"alert_threshold is a percent greater than 0 and at most {MAX_ALERT_THRESHOLD}",
            "range",
        )
    exact = value.quantize(Decimal("0.01"))
    if exact != value:
        raise InvalidInput(
            _loc("alert_threshold"), "alert_threshold allows at most 2 decimal places", "decimal"
        )
    return exact


def _start_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(
            _loc("start_date"),
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
    code = validate_currency(currency or tenant.base_currency, _loc("currency"))
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
        tenant_data_changed(tenant.pk)
        budget_written.send(sender=Budget, budget=budget)
    return budget


def budget_update(*, budget: Budget, changes: Mapping[str, Any]) -> Budget:
    """Apply a partial update; the fields not named keep their values."""
    for field, value in changes.items():
        if field not in _PATCHABLE:
            raise InvalidInput(_loc(field), f"{field} cannot be changed", "read_only")
        if value is None:
            raise InvalidInput(_loc(field), f"{field} cannot be null", "null")
    currency = validate_currency(changes.get("currency", budget.currency), _loc("currency"))
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
        tenant_data_changed(budget.tenant_id)
        budget_written.send(sender=Budget, budget=budget)
    return budget


def budget_delete(*, budget: Budget) -> None:
    with transaction.atomic():
        tenant_id = budget.tenant_id
        budget.delete()
        tenant_data_changed(tenant_id)
