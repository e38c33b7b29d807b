"""The dashboard read model: every figure, computed once from the rollups.

The five endpoints, the web page and the notifications all go through
:class:`Dashboard`; each part is a cached property, so the complete dashboard
computes each part once and a part's own endpoint gets exactly the same value.
Where each number comes from is listed in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import cached_property

from findash.common.fx_rates import money_round
from findash.common.money import round_money
from findash.dashboard.budget_status import budget_statuses
from findash.dashboard.converted_payees import ranked_payees
from findash.dashboard.converted_read import ConvertedFlows, flows_for
from findash.dashboard.flow_totals import INCOME, Bucket, FlowTotals, flow_totals_of
from findash.dashboard.flows import Flows
from findash.dashboard.health_score import health_score
from findash.dashboard.largest import largest_outflows
from findash.dashboard.periods import Period
from findash.dashboard.reference import ReferenceData
from findash.dashboard.schemas import (
    AccountSummary,
    BudgetStatus,
    CategoryTotal,
    ExpenseOut,
    FinancialSummary,
    MonthTotal,
    PayeeTotal,
    TransactionSummary,
    WarningOut,
)
from findash.ledger.models import Account
from findash.tenancy.models import Tenant

TOP_PAYEES = 10
SAVINGS_RATE_PLACES = Decimal("0.0001")
UNCATEGORIZED = "Uncategorized"


class WarningLog:
    def __init__(self) -> None:
        self._missing: set[tuple[str, str]] = set()

    def missing_rate(self, currency: str, target: str) -> None:
        self._missing.add((currency, target))

    def as_list(self) -> list[WarningOut]:
        return [
            WarningOut(
                code="missing_exchange_rate",
                currency=currency,
                target_currency=target,
                message=(
                    f"no {currency}->{target} exchange rate (nor {target}->{currency}) on or "
                    f"before some dates; those {currency} amounts are left out of {target} totals"
                ),
            )
            for currency, target in sorted(self._missing)
        ]


class Dashboard:
    def __init__(self, *, tenant: Tenant, period: Period) -> None:
        self.ref = ReferenceData(tenant=tenant, period=period)
        self.period = period
        self.base = self.ref.base
        self.warnings = WarningLog()

    @cached_property
    def flows(self) -> Flows:
        return flows_for(self.ref)  # from the converted rollups when the tenant keeps them

    def factor(self, currency: str, target: str, day: date) -> Fraction | None:
        """The rate for a conversion, or None (and a warning) when there is none."""
        found = self.ref.rates.factor(currency, target, day)
        if found is None:
            self.warnings.missing_rate(currency, target)
        return found

    # --- accounts --------------------------------------------------------

    @cached_property
    def accounts(self) -> list[AccountSummary]:
        ref, end = self.ref, self.period.end
        totals, balances = self.flows.account_totals, self.flows.balances
        found = []
        for account in ref.accounts:
            balance = Decimal(balances[account.id]).scaleb(-2)
            rate = None
            balance_base: Decimal | None = balance
            if account.currency != self.base:
                rate = ref.rates.rate_on(account.currency, self.base, end)
                if rate is None:
                    self.warnings.missing_rate(account.currency, self.base)
                    balance_base = None
                else:
                    balance_base = money_round(Fraction(balance) * rate.value, self.base)
            else:
                balance_base = round_money(balance, self.base)
            found.append(
                AccountSummary(
                    account_id=account.id,
                    name=account.name,
                    type=account.type,
                    currency=account.currency,
                    balance=balance,
                    balance_base=balance_base,
                    fx_rate=rate.shown if rate else None,
                    fx_date=rate.day if rate else None,
                    inflow=Decimal(totals[account.id][0]).scaleb(-2),
                    outflow=Decimal(totals[account.id][1]).scaleb(-2),
                    transaction_count=totals[account.id][2],
                )
            )
        return found

    # --- income and expenses --------------------------------------------

    @cached_property
    def flow_totals(self) -> FlowTotals:
        flows = self.flows
        if isinstance(flows, ConvertedFlows):  # summed per category and per month in SQL
            return flows.period_totals(self.factor)
        return flow_totals_of(flows.period_flows, self.base, self.ref.categories, self.factor)

    @cached_property
    def income(self) -> Decimal:
        return self.flow_totals.overall.income.rounded(self.base)

    @cached_property
    def expenses(self) -> Decimal:
        return self.flow_totals.overall.expenses.rounded(self.base)

    # --- the parts -------------------------------------------------------

    @cached_property
    def transactions(self) -> TransactionSummary:
        totals, base = self.flow_totals, self.base
        names = {c.id: c.name for c in self.ref.categories.values()}
        by_category = [
            CategoryTotal(
                category_id=category_id,
                name=names[category_id] if category_id is not None else UNCATEGORIZED,
                kind=kind,
                total=row.total.rounded(base),
                count=row.count,
            )
            for (category_id, kind), row in totals.by_category.items()
            if row.count
        ]
        by_category.sort(key=lambda r: (r.kind != INCOME, -r.total, r.category_id or 0))
        by_month = []
        for month in self.period.months():
            bucket = totals.by_month.get(month, Bucket())
            income, expenses = bucket.income.rounded(base), bucket.expenses.rounded(base)
            by_month.append(
                MonthTotal(
                    month=month.strftime("%Y-%m"),
                    income=income,
                    expenses=expenses,
                    net=income - expenses,
                )
            )
        return TransactionSummary(
            count=totals.count,
            income=self.income,
            expenses=self.expenses,
            net=self.income - self.expenses,
            by_category=by_category,
            by_month=by_month,
            top_payees=self.top_payees,
            largest_expenses=self.largest_expenses,
            average_daily_spend=round_money(self.expenses / self.period.days, base) + 0,
        )

    @cached_property
    def top_payees(self) -> list[PayeeTotal]:
        return ranked_payees(self.ref, self.factor, TOP_PAYEES)

    @cached_property
    def largest_expenses(self) -> list[ExpenseOut]:
        return [
            ExpenseOut(
                id=row.id,
                account_id=row.account_id,
                date=row.date,
                amount=row.amount,
                currency=row.currency,
                amount_base=money_round(value, self.base),
                category_id=row.category_id,
                description=row.description,
                payee=row.payee,
                transfer_id=None,
                created_at=row.created_at,
            )
            # The accounts' read (when made already) tells the first month with flows.
            for value, row in largest_outflows(self.ref, self.flows.first_month_read)
        ]

    @cached_property
    def summary(self) -> FinancialSummary:
        assets = sum(
            (a.balance_base for a in self.accounts if a.balance_base is not None and not _liab(a)),
            Decimal(0),
        )
        liabilities = -sum(
            (a.balance_base for a in self.accounts if a.balance_base is not None and _liab(a)),
            Decimal(0),
        )
        assets, liabilities = round_money(assets, self.base), round_money(liabilities, self.base)
        net_cash_flow = self.income - self.expenses
        savings_rate = (
            (net_cash_flow / self.income).quantize(SAVINGS_RATE_PLACES, rounding=ROUND_HALF_EVEN)
            + 0  # never "-0.0000"
            if self.income
            else None
        )
        return FinancialSummary(
            currency=self.base,
            total_assets=assets,
            total_liabilities=liabilities,
            net_worth=assets - liabilities,
            income=self.income,
            expenses=self.expenses,
            net_cash_flow=net_cash_flow,
            savings_rate=savings_rate,
            health=health_score(
                accounts=self.accounts,
                expenses=self.expenses,
                period_days=self.period.days,
                budgets=self.budgets,
                assets=assets,
                liabilities=liabilities,
                rate=savings_rate,
            ),
        )

    @cached_property
    def budgets(self) -> list[BudgetStatus]:
        flows = self.flows
        source = flows.flows_for if isinstance(flows, ConvertedFlows) else flows.whole_month_flows
        return budget_statuses(ref=self.ref, flows=source, factor=self.factor)


def _liab(account: AccountSummary) -> bool:
    return account.type in Account.LIABILITY_TYPES
