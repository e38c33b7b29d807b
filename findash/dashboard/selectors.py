"""Dashboard reads. Each builds one :class:`Dashboard` in the scope the edge entered."""

from __future__ import annotations

from django.utils import timezone

from findash.dashboard.periods import Period
from findash.dashboard.read_model import Dashboard
from findash.dashboard.schemas import (
    AccountSummary,
    BudgetStatus,
    DashboardData,
    FinancialSummary,
    PeriodOut,
    TransactionSummary,
)
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import scope_require


def dashboard_build(*, tenant: Tenant, period: Period) -> Dashboard:
    scope_require(tenant)
    return Dashboard(tenant=tenant, period=period)


def dashboard_data_get(*, tenant: Tenant, period: Period) -> DashboardData:
    """The complete dashboard: every part computed once, from the same facts."""
    dashboard = dashboard_build(tenant=tenant, period=period)
    return DashboardData(
        tenant_id=tenant.public_id,
        period=PeriodOut(start=period.start, end=period.end),
        currency=tenant.base_currency,
        summary=dashboard.summary,
        accounts=dashboard.accounts,
        transactions=dashboard.transactions,
        budgets=dashboard.budgets,
        warnings=dashboard.warnings.as_list(),
        generated_at=timezone.now(),
    )


def dashboard_summary_get(*, tenant: Tenant, period: Period) -> FinancialSummary:
    return dashboard_build(tenant=tenant, period=period).summary


def dashboard_accounts_get(*, tenant: Tenant, period: Period) -> list[AccountSummary]:
    return dashboard_build(tenant=tenant, period=period).accounts


def dashboard_transactions_get(*, tenant: Tenant, period: Period) -> TransactionSummary:
    return dashboard_build(tenant=tenant, period=period).transactions


def dashboard_budgets_get(*, tenant: Tenant, period: Period) -> list[BudgetStatus]:
    return dashboard_build(tenant=tenant, period=period).budgets
