"""The dashboard's answers. Money travels as strings in the stated currency."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema

from findash.common.schemas import DecimalOut


class PeriodOut(Schema):
    start: date
    end: date


class HealthComponentOut(Schema):
    name: str
    value: DecimalOut | None
    score: int
    weight: int


class HealthOut(Schema):
    score: int
    components: list[HealthComponentOut]


class FinancialSummary(Schema):
    currency: str
    total_assets: DecimalOut
    total_liabilities: DecimalOut
    net_worth: DecimalOut
    income: DecimalOut
    expenses: DecimalOut
    net_cash_flow: DecimalOut
    savings_rate: DecimalOut | None
    health: HealthOut


class AccountSummary(Schema):
    account_id: int
    name: str
    type: str
    currency: str
    balance: DecimalOut
    balance_base: DecimalOut | None
    fx_rate: DecimalOut | None
    fx_date: date | None
    inflow: DecimalOut
    outflow: DecimalOut
    transaction_count: int


class CategoryTotal(Schema):
    category_id: int | None
    name: str
    kind: str
    total: DecimalOut
    count: int


class MonthTotal(Schema):
    month: str
    income: DecimalOut
    expenses: DecimalOut
    net: DecimalOut


class PayeeTotal(Schema):
    payee: str
    total: DecimalOut
    count: int


class ExpenseOut(Schema):
    id: int
    account_id: int
    date: date
    amount: DecimalOut
    currency: str
    amount_base: DecimalOut
    category_id: int | None
    description: str
    payee: str
    transfer_id: UUID | None
    created_at: datetime


class TransactionSummary(Schema):
    count: int
    income: DecimalOut
    expenses: DecimalOut
    net: DecimalOut
    by_category: list[CategoryTotal]
    by_month: list[MonthTotal]
    top_payees: list[PayeeTotal]
    largest_expenses: list[ExpenseOut]
    average_daily_spend: DecimalOut


class BudgetStatus(Schema):
    budget_id: int
    category_id: int
    category_name: str
    month: str
    currency: str
    limit: DecimalOut
    spent: DecimalOut
    remaining: DecimalOut
    percent_used: DecimalOut | None
    status: str
    alert: bool


class WarningOut(Schema):
    code: str
    currency: str
    target_currency: str
    message: str


class DashboardData(Schema):
    tenant_id: str
    period: PeriodOut
    currency: str
    summary: FinancialSummary
    accounts: list[AccountSummary]
    transactions: TransactionSummary
    budgets: list[BudgetStatus]
    warnings: list[WarningOut]
    generated_at: datetime
