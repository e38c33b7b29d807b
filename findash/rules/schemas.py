"""/rules schemas."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool

from findash.common.schemas import DecimalOut, DecimalStr, Id, StrictIn
from findash.ledger.schemas import LedgerDate, Payee

RuleField = Literal["description", "payee", "any"]
MatchType = Literal["contains", "regex"]
Pattern = Annotated[str, Field(min_length=1, max_length=500)]
RuleName = Annotated[str, Field(max_length=200)]


class RuleIn(StrictIn):
    name: RuleName = ""
    priority: int = Field(100, ge=-1_000_000, le=1_000_000)
    field: RuleField = "any"
    match_type: MatchType = "contains"
    pattern: Pattern
    amount_min: DecimalStr | None = None
    amount_max: DecimalStr | None = None
    category_id: Id | None = None
    set_payee: Payee = ""
    is_active: StrictBool = True


class RulePatch(StrictIn):
    name: RuleName | None = None
    priority: int | None = Field(None, ge=-1_000_000, le=1_000_000)
    field: RuleField | None = None
    match_type: MatchType | None = None
    pattern: Pattern | None = None
    amount_min: DecimalStr | None = None
    amount_max: DecimalStr | None = None
    category_id: Id | None = None
    set_payee: Payee | None = None
    is_active: StrictBool | None = None


class RuleOut(Schema):
    id: int
    name: str
    priority: int
    field: str
    match_type: str
    pattern: str
    amount_min: DecimalOut | None
    amount_max: DecimalOut | None
    category_id: int | None
    set_payee: str
    is_active: bool


class RuleApplyIn(StrictIn):
    dry_run: StrictBool = Field(True, description="preview only (the default); false writes")
    account_id: Id | None = None
    start: LedgerDate | None = None
    end: LedgerDate | None = None
    only_uncategorized: StrictBool = Field(
        True, description="leave transactions that already have a category alone"
    )


class RuleChangeOut(Schema):
    transaction_id: int
    date: date
    amount: DecimalOut
    description: str
    rule_id: int
    category_id_before: int | None
    category_id_after: int | None
    payee_before: str
    payee_after: str


class RuleApplyOut(Schema):
    dry_run: bool
    changed: int = Field(description="transactions whose category or payee changes (changed)")
    changes: list[RuleChangeOut] = Field(description="the first 200 changes")
