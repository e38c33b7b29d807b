"""The dashboard's answers. Money travels as strings in the stated currency.

Plain pydantic models: built hundreds of times per dashboard, they skip ninja's
Schema validators (which resolve Django objects) and cost a fraction as much.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from findash.common.schemas import DecimalOut, OwnCurrencyAmounts


class PeriodOut(BaseModel):
    start: date
    end: date


class HealthComponentOut(BaseModel):
    name: str
    value: DecimalOut | None
    score: int
    weight: int


class HealthOut(BaseModel):
    score: int
    components: list[HealthComponentOut]


class FinancialSummary(BaseModel):
    currency: str
    total_assets: DecimalOut
    total_liabilities: DecimalOut
    net_worth: DecimalOut
    income: DecimalOut
    expenses: DecimalOut
    net_cash_flow: DecimalOut
    savings_rate: DecimalOut | None
    health: HealthOut


class AccountSummary(OwnCurrencyAmounts):
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


class CategoryTotal(BaseModel):
    category_id: int | None
    name: str
    kind: str
    total: DecimalOut
    count: int


class MonthTotal(BaseModel):
    month: str
    income: DecimalOut
    expenses: DecimalOut
    net: DecimalOut


class PayeeTotal(BaseModel):
    payee: str
    total: DecimalOut
    count: int


class ExpenseOut(OwnCurrencyAmounts):
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


class TransactionSummary(BaseModel):
    count: int
    income: DecimalOut
    expenses: DecimalOut
    net: DecimalOut
    by_category: list[CategoryTotal]
    by_month: list[MonthTotal]
    top_payees: list[PayeeTotal]
    largest_expenses: list[ExpenseOut]
    average_daily_spend: DecimalOut


class BudgetStatus(BaseModel):
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


class WarningOut(BaseModel):
    code: str
    currency: str
    target_currency: str
    message: str


class DashboardData(BaseModel):
    tenant_id: str
    period: PeriodOut
    currency: str
    summary: FinancialSummary
    accounts: list[AccountSummary]
    transactions: TransactionSummary
    budgets: list[BudgetStatus]
    warnings: list[WarningOut]
    generated_at: datetime
