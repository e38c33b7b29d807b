"""The financial health score (0-100); the formula is documented in the README.

Four components, each scored 0-100 and weighted:

- ``savings_rate`` (weight 30): the summary's savings rate; 20 % or more scores
  100, 0 % or less (or no income) scores 0, linear in between.
- ``emergency_fund_months`` (weight 25): liquid balances (checking, savings,
  cash, in base currency) over the period's average monthly expenses
  (expenses / days x 30); 6 months or more scores 100. No expenses: 100 when
  liquid balances are positive, else 0 (value null).
- ``debt_to_asset_ratio`` (weight 25): total liabilities / total assets; 0
  scores 100, 1 or more scores 0, linear. No assets: 100 without debt, else 0.
- ``budget_adherence`` (weight 20): share of the period's budget months not
  ``over``; no budgets scores 100 (value null).

Component scores are rounded half-even to integers; the total is the weighted
mean of the exact component scores, rounded half-even.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from findash.common.fx_rates import fraction_round
from findash.dashboard.schemas import AccountSummary, BudgetStatus, HealthComponentOut, HealthOut

LIQUID_TYPES = frozenset({"checking", "savings", "cash"})
TARGET_SAVINGS_RATE = Fraction(1, 5)
TARGET_FUND_MONTHS = Fraction(6)
DAYS_PER_MONTH = 30
WEIGHTS = {
    "savings_rate": 30,
    "emergency_fund_months": 25,
    "debt_to_asset_ratio": 25,
    "budget_adherence": 20,
}


def _clamp(value: Fraction) -> Fraction:
    return min(max(value, Fraction(0)), Fraction(1)) * 100


def _component(
    name: str, value: Decimal | None, score: Fraction
) -> tuple[Fraction, HealthComponentOut]:
    return score, HealthComponentOut(
        name=name, value=value, score=round(score), weight=WEIGHTS[name]
    )


def health_score(
    *,
    accounts: list[AccountSummary],
    expenses: Decimal,
    period_days: int,
    budgets: list[BudgetStatus],
    assets: Decimal,
    liabilities: Decimal,
    rate: Decimal | None,
) -> HealthOut:
    parts = [
        _component(
            "savings_rate",
            rate,
            _clamp(Fraction(rate) / TARGET_SAVINGS_RATE) if rate else Fraction(0),
        )
    ]
    liquid = sum(
        (a.balance_base for a in accounts if a.type in LIQUID_TYPES and a.balance_base is not None),
        Decimal(0),
    )
    if expenses > 0:
        months = Fraction(liquid) / (Fraction(expenses) * DAYS_PER_MONTH / period_days)
        parts.append(
            _component(
                "emergency_fund_months",
                fraction_round(months, 2),
                _clamp(months / TARGET_FUND_MONTHS),
            )
        )
    else:
        parts.append(_component("emergency_fund_months", None, Fraction(100 if liquid > 0 else 0)))
    if assets > 0:
        ratio = Fraction(liabilities) / Fraction(assets)
        parts.append(_component("debt_to_asset_ratio", fraction_round(ratio, 4), _clamp(1 - ratio)))
    else:
        parts.append(
            _component("debt_to_asset_ratio", None, Fraction(100 if liabilities <= 0 else 0))
        )
    statuses = budgets
    if statuses:
        share = Fraction(sum(1 for s in statuses if s.status != "over"), len(statuses))
        parts.append(_component("budget_adherence", fraction_round(share, 4), share * 100))
    else:
        parts.append(_component("budget_adherence", None, Fraction(100)))
    total = sum((score * WEIGHTS[c.name] for score, c in parts), Fraction(0)) / sum(
        WEIGHTS.values()
    )
    return HealthOut(
        score=round(total),
        components=[c for _, c in parts],
    )
