"""Budget schemas: money as decimal strings, alert threshold as a percent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from findash.common.schemas import (
    AmountsInOwnCurrency,
    BoundedDate,
    DecimalOut,
    DecimalStr,
    Id,
    StrictIn,
)

Period = Literal["monthly"]
Rollover = Literal["none", "surplus", "full"]


class BudgetIn(StrictIn):
    category_id: Id
    amount: DecimalStr
    currency: str | None = None  # the tenant's base currency when left out
    period: Period = "monthly"
    alert_threshold: Decimal = Decimal("80")  # percent; a JSON number or a decimal string
    rollover: Rollover = "none"
    start_date: BoundedDate | None = None  # the first day of the current month when left out


class BudgetPatch(StrictIn):
    """Partial update: only the fields sent change; null is not a value for any of them."""

    category_id: Id | None = None
    amount: DecimalStr | None = None
    currency: str | None = None
    period: Period | None = None
    alert_threshold: Decimal | None = None
    rollover: Rollover | None = None
    start_date: BoundedDate | None = None


class BudgetOut(AmountsInOwnCurrency):
    id: int
    category_id: Id
    amount: DecimalOut
    currency: str
    period: str
    alert_threshold: DecimalOut
    rollover: str
    start_date: date
