"""An independent, deliberately naive dashboard: plain Python over every raw row.

Written from the spec (docs/API "The financial dashboard") and the README's health
formula, without the service's code: no rollups, no grouping, one rate look-up per
transaction. The property tests compare every field of every endpoint with it.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from findash.budgets.models import Budget
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope

LIABILITIES = {"credit_card", "loan"}
LIQUID = {"checking", "savings", "cash"}
MINOR = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}


def half_even(value: Fraction, places: int) -> Decimal:
    scaled = value * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and whole % 2 == 1):
        whole += 1
    return Decimal(whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def fmt(value: Decimal, currency: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-MINOR[currency]))


def native(value: Decimal, currency: str) -> str:
    """An amount in its own currency: stored with 2 places, printed with the minor unit's."""
    return str(value.quantize(Decimal(1).scaleb(-min(MINOR[currency], 2))))


def money(value: Fraction, currency: str) -> str:
    return str(half_even(value, MINOR[currency]))


def month_of(day: date) -> date:
    return day.replace(day=1)


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class Naive:
    def __init__(self, tenant: Tenant, start: date, end: date) -> None:
        self.tenant, self.start, self.end = tenant, start, end
        self.base = tenant.base_currency
        with tenant_scope(tenant):
            self.accounts = list(Account.objects.order_by("id"))
            self.categories = {c.id: c for c in Category.objects.all()}
            self.txns = list(Transaction.objects.all())
            self.rates = list(ExchangeRate.objects.all())
            self.budgets = list(Budget.objects.order_by("id"))
        self.missing: set[tuple[str, str]] = set()

    # rates: scan every rate, every time
    def rate(self, source: str, target: str, day: date) -> tuple[Fraction, date, bool] | None:
        if source == target:
            return Fraction(1), day, True
        best: tuple[date, bool, Fraction] | None = None
        for r in self.rates:
            if r.date > day:
                continue
            if r.base == source and r.quote == target:
                candidate = (r.date, True, Fraction(r.rate))
            elif r.base == target and r.quote == source:
                candidate = (r.date, False, 1 / Fraction(r.rate))
            else:
                continue
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        return (best[2], best[0], best[1]) if best else None

    def convert(self, amount: Decimal, source: str, target: str, day: date) -> Fraction | None:
        found = self.rate(source, target, day)
        if found is None:
            self.missing.add((source, target))
            return None
        return Fraction(amount) * found[0]

    def in_period(self, txn: Transaction) -> bool:
        return self.start <= txn.date <= self.end

    def kind_of(self, txn: Transaction) -> str:
        """income or expense, for a non-transfer transaction."""
        if txn.category_id is None:
            return "income" if txn.amount > 0 else "expense"
        return self.categories[txn.category_id].kind

    def flows(self) -> list[Transaction]:
        return [t for t in self.txns if t.transfer_id is None and self.in_period(t)]

    # --- parts ---------------------------------------------------------

    def accounts_part(self) -> list[dict[str, Any]]:
        rows = []
        for account in self.accounts:
            balance = account.opening_balance + sum(
                (t.amount for t in self.txns if t.account_id == account.id and t.date <= self.end),
                Decimal(0),
            )
            mine = [t for t in self.txns if t.account_id == account.id and self.in_period(t)]
            row: dict[str, Any] = {
                "account_id": account.id,
                "name": account.name,
                "type": account.type,
                "currency": account.currency,
                "balance": native(balance, account.currency),
                "inflow": native(
                    sum((t.amount for t in mine if t.amount > 0), Decimal(0)), account.currency
                ),
                "outflow": native(
                    -sum((t.amount for t in mine if t.amount < 0), Decimal(0)), account.currency
                ),
                "transaction_count": len(mine),
                "fx_rate": None,
                "fx_date": None,
            }
            if account.currency == self.base:
                row["balance_base"] = money(Fraction(balance), self.base)
            else:
                found = self.rate(account.currency, self.base, self.end)
                if found is None:
                    self.missing.add((account.currency, self.base))
                    row["balance_base"] = None
                else:
                    row["balance_base"] = money(Fraction(balance) * found[0], self.base)
                    row["fx_rate"] = str(half_even(found[0], 10))
                    row["fx_date"] = found[1].isoformat()
            rows.append(row)
        return rows

    def income_expenses(self, txns: list[Transaction]) -> tuple[Fraction, Fraction]:
        income, expenses = Fraction(0), Fraction(0)
        for t in txns:
            value = self.convert(t.amount, t.currency, self.base, t.date)
            if value is None:
                continue
            if self.kind_of(t) == "income":
                income += value
            else:
                expenses -= value
        return income, expenses

    def transactions_part(self) -> dict[str, Any]:
        flows = self.flows()
        income, expenses = self.income_expenses(flows)
        inc, exp = Decimal(money(income, self.base)), Decimal(money(expenses, self.base))
        groups: dict[tuple[int | None, str], list[Transaction]] = {}
        for t in flows:
            groups.setdefault((t.category_id, self.kind_of(t)), []).append(t)
        by_category = []
        for (category_id, kind), members in groups.items():
            total = Fraction(0)
            for t in members:
                value = self.convert(t.amount, t.currency, self.base, t.date)
                if value is not None:
                    total += value if kind == "income" else -value
            by_category.append(
                {
                    "category_id": category_id,
                    "name": self.categories[category_id].name if category_id else "Uncategorized",
                    "kind": kind,
                    "total": money(total, self.base),
                    "count": len(members),
                }
            )
        by_category.sort(
            key=lambda r: (r["kind"] != "income", -Decimal(r["total"]), r["category_id"] or 0)
        )
        by_month = []
        month = month_of(self.start)
        while month <= self.end:
            mi, me = self.income_expenses([t for t in flows if month_of(t.date) == month])
            mi_r, me_r = Decimal(money(mi, self.base)), Decimal(money(me, self.base))
            by_month.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "income": str(mi_r),
                    "expenses": str(me_r),
                    "net": str(mi_r - me_r),
                }
            )
            month = last_day(month) + timedelta(days=1)
        return {
            "count": len(flows),
            "income": str(inc),
            "expenses": str(exp),
            "net": str(inc - exp),
            "by_category": by_category,
            "by_month": by_month,
            "top_payees": self.payees(flows),
            "largest_expenses": self.largest(flows),
            "average_daily_spend": money(
                Fraction(exp) / ((self.end - self.start).days + 1), self.base
            ),
        }

    def payees(self, flows: list[Transaction]) -> list[dict[str, Any]]:
        spent: dict[str, Fraction] = {}
        count: dict[str, int] = {}
        for t in flows:
            if not t.payee or self.kind_of(t) != "expense":
                continue
            count[t.payee] = count.get(t.payee, 0) + 1
            value = self.convert(t.amount, t.currency, self.base, t.date)
            spent[t.payee] = spent.get(t.payee, Fraction(0)) - (value or 0)
        rows = [{"payee": p, "total": money(spent[p], self.base), "count": count[p]} for p in count]
        rows = [r for r in rows if Decimal(r["total"]) > 0]
        rows.sort(key=lambda r: (-Decimal(r["total"]), r["payee"]))
        return rows[:10]

    def largest(self, flows: list[Transaction]) -> list[dict[str, Any]]:
        found = []
        for t in flows:
            if t.amount >= 0:
                continue
            found_rate = self.rate(t.currency, self.base, t.date)
            if found_rate is not None:
                found.append((Fraction(t.amount) * found_rate[0], t.id, t))
        found.sort(key=lambda item: (item[0], item[1]))
        return [
            {
                "id": t.id,
                "account_id": t.account_id,
                "date": t.date.isoformat(),
                "amount": native(t.amount, t.currency),
                "currency": t.currency,
                "amount_base": money(value, self.base),
                "category_id": t.category_id,
                "description": t.description,
                "payee": t.payee,
                "transfer_id": None,
            }
            for value, _, t in found[:10]
        ]

    def budgets_part(self) -> list[dict[str, Any]]:
        rows = []
        for budget in self.budgets:
            if budget.start_date > self.end:
                continue
            family = {budget.category_id}
            grew = True
            while grew:
                more = {c.id for c in self.categories.values() if c.parent_id in family}
                grew = not more <= family
                family |= more
            family = {c for c in family if self.categories[c].kind == "expense"}
            cur = budget.currency
            carry = Decimal(0)
            month = month_of(budget.start_date)
            while month <= self.end:
                spent_exact = Fraction(0)
                for t in self.txns:
                    if (
                        t.transfer_id is None
                        and t.category_id in family
                        and month_of(t.date) == month
                    ):
                        value = self.convert(t.amount, t.currency, cur, t.date)
                        if value is not None:
                            spent_exact -= value
                limit = fmt(budget.amount, cur) + carry
                spent = Decimal(money(spent_exact, cur))
                remaining = limit - spent
                if limit <= 0:
                    percent = None
                    status = "over" if spent > limit else "ok"
                else:
                    ratio = Fraction(spent) * 100 / Fraction(limit)
                    percent = str(half_even(ratio, 2))
                    if ratio > 100:
                        status = "over"
                    elif ratio >= Fraction(budget.alert_threshold):
                        status = "warning"
                    else:
                        status = "ok"
                if last_day(month) >= self.start:
                    rows.append(
                        {
                            "budget_id": budget.id,
                            "category_id": budget.category_id,
                            "category_name": self.categories[budget.category_id].name,
                            "month": month.strftime("%Y-%m"),
                            "currency": cur,
                            "limit": str(limit),
                            "spent": str(spent),
                            "remaining": str(remaining),
                            "percent_used": percent,
                            "status": status,
                            "alert": status != "ok",
                        }
                    )
                if budget.rollover == "full":
                    carry = remaining
                elif budget.rollover == "surplus":
                    carry = max(remaining, Decimal(0))
                month = last_day(month) + timedelta(days=1)
        return rows

    def summary_part(
        self, accounts: list[dict[str, Any]], transactions: dict[str, Any], budgets: list[Any]
    ) -> dict[str, Any]:
        assets = sum(
            (
                Decimal(a["balance_base"])
                for a in accounts
                if a["balance_base"] is not None and a["type"] not in LIABILITIES
            ),
            Decimal("0.00"),
        )
        liabilities = -sum(
            (
                Decimal(a["balance_base"])
                for a in accounts
                if a["balance_base"] is not None and a["type"] in LIABILITIES
            ),
            Decimal("0.00"),
        )
        assets, liabilities = fmt(assets, self.base), fmt(liabilities, self.base)
        income, expenses = Decimal(transactions["income"]), Decimal(transactions["expenses"])
        net = income - expenses
        rate = half_even(Fraction(net) / Fraction(income), 4) if income else None
        days = (self.end - self.start).days + 1
        # README "Financial health score"
        s_rate = min(max(Fraction(rate) / Fraction(1, 5), 0), 1) * 100 if rate else Fraction(0)
        liquid = sum(
            (
                Fraction(Decimal(a["balance_base"]))
                for a in accounts
                if a["type"] in LIQUID and a["balance_base"] is not None
            ),
            Fraction(0),
        )
        if expenses > 0:
            fund = liquid / (Fraction(expenses) * 30 / days)
            fund_value: Decimal | None = half_even(fund, 2)
            s_fund = min(max(fund / 6, 0), 1) * 100
        else:
            fund_value, s_fund = None, Fraction(100 if liquid > 0 else 0)
        if assets > 0:
            ratio = Fraction(liabilities) / Fraction(assets)
            debt_value: Decimal | None = half_even(ratio, 4)
            s_debt = min(max(1 - ratio, 0), 1) * 100
        else:
            debt_value, s_debt = None, Fraction(100 if liabilities <= 0 else 0)
        if budgets:
            share = Fraction(sum(1 for b in budgets if b["status"] != "over"), len(budgets))
            adherence: Decimal | None = half_even(share, 4)
            s_budget = share * 100
        else:
            adherence, s_budget = None, Fraction(100)
        parts = [
            ("savings_rate", rate, s_rate, 30),
            ("emergency_fund_months", fund_value, s_fund, 25),
            ("debt_to_asset_ratio", debt_value, s_debt, 25),
            ("budget_adherence", adherence, s_budget, 20),
        ]
        score = sum((s * w for _, _, s, w in parts), Fraction(0)) / 100
        return {
            "currency": self.base,
            "total_assets": str(assets),
            "total_liabilities": str(liabilities),
            "net_worth": str(assets - liabilities),
            "income": str(income),
            "expenses": str(expenses),
            "net_cash_flow": str(net),
            "savings_rate": str(rate) if rate is not None else None,
            "health": {
                "score": int(half_even(score, 0)),
                "components": [
                    {
                        "name": n,
                        "value": str(v) if v is not None else None,
                        "score": int(half_even(s, 0)),
                        "weight": w,
                    }
                    for n, v, s, w in parts
                ],
            },
        }

    def dashboard(self) -> dict[str, Any]:
        accounts = self.accounts_part()
        transactions = self.transactions_part()
        budgets = self.budgets_part()
        return {
            "tenant_id": self.tenant.public_id,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "currency": self.base,
            "summary": self.summary_part(accounts, transactions, budgets),
            "accounts": accounts,
            "transactions": transactions,
            "budgets": budgets,
            "warnings": [
                {"code": "missing_exchange_rate", "currency": c, "target_currency": t}
                for c, t in sorted(self.missing)
            ],
        }
