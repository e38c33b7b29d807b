"""GET /financial/dashboard and its four parts. Answers go through ``dashboard_response``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import RootModel

from findash.dashboard import selectors
from findash.dashboard.periods import PERIOD_NAMES, Period, period_resolve
from findash.dashboard.response_cache import dashboard_response
from findash.dashboard.schemas import (
    AccountSummary,
    BudgetStatus,
    DashboardData,
    FinancialSummary,
    TransactionSummary,
)
from findash.tenancy.auth import request_actor

router = Router(tags=["dashboard"])

AccountList = RootModel[list[AccountSummary]]
BudgetList = RootModel[list[BudgetStatus]]


class PeriodQuery(Schema):
    start: str | None = None
    end: str | None = None
    period: str | None = None


PERIOD_HELP = (
    "Either `start` and `end` (YYYY-MM-DD, inclusive, at most 10 years) or `period`, one of "
    + ", ".join(PERIOD_NAMES)
    + " (default current_month). Named periods end today: current_month is month to date, "
    "last_12_months the 365/366 days up to today, last_month and last_year whole ones."
)


def _answer(
    request: HttpRequest,
    query: PeriodQuery,
    endpoint: str,
    compute: Callable[[Any, Period], Any],
) -> HttpResponse:
    tenant = request_actor(request).tenant

    def computed() -> Any:
        # Resolved inside: the feature-flag gate answers before any 422 on the period.
        period = period_resolve(
            start=query.start, end=query.end, period=query.period, today=timezone.localdate()
        )
        return compute(tenant, period)

    return dashboard_response(
        request,
        endpoint=endpoint,
        params={"start": query.start, "end": query.end, "period": query.period},
        compute=computed,
    )


@router.get("/financial/dashboard", response=DashboardData, description=PERIOD_HELP)
def dashboard(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _answer(
        request,
        query,
        "dashboard",
        lambda tenant, period: selectors.dashboard_data_get(tenant=tenant, period=period),
    )


@router.get("/financial/dashboard/summary", response=FinancialSummary, description=PERIOD_HELP)
def summary(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _answer(
        request,
        query,
        "summary",
        lambda tenant, period: selectors.dashboard_summary_get(tenant=tenant, period=period),
    )


@router.get("/financial/dashboard/accounts", response=list[AccountSummary], description=PERIOD_HELP)
def accounts(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _answer(
        request,
        query,
        "accounts",
        lambda tenant, period: AccountList(
            selectors.dashboard_accounts_get(tenant=tenant, period=period)
        ),
    )


@router.get(
    "/financial/dashboard/transactions", response=TransactionSummary, description=PERIOD_HELP
)
def transactions(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _answer(
        request,
        query,
        "transactions",
        lambda tenant, period: selectors.dashboard_transactions_get(tenant=tenant, period=period),
    )


@router.get("/financial/dashboard/budgets", response=list[BudgetStatus], description=PERIOD_HELP)
def budgets(request: HttpRequest, query: Query[PeriodQuery]) -> HttpResponse:
    return _answer(
        request,
        query,
        "budgets",
        lambda tenant, period: BudgetList(
            selectors.dashboard_budgets_get(tenant=tenant, period=period)
        ),
    )
