"""Rule writes (create, update, delete) and applying the rules to stored transactions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from findash.common.errors import InvalidInput
from findash.common.money import validate_amount
from findash.common.patches import patch_changes
from findash.ledger.bulk import transactions_reclassify
from findash.ledger.models import Account, Category, Transaction
from findash.ledger.selectors import dated_rows
from findash.rules.matching import compile_pattern, rules_classify, rules_compile
from findash.rules.models import Rule
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import get_owned_or_404, resolve_owned, scope_require

CHANGES_SHOWN = 200
_AMOUNT_CURRENCY = (
    "USD"  # bounds are compared as signed amounts; any 2-place currency checks places
)


def rule_validate(rule: Rule, *, loc: Sequence[str | int] = ()) -> Rule:
    """Check a rule before saving it; errors name ``loc`` + the field."""
    loc = list(loc)
    try:
        compile_pattern(rule.match_type, rule.pattern)
    except re.error as exc:
        raise InvalidInput([*loc, "pattern"], f"not a valid regular expression: {exc}") from exc
    for field in ("amount_min", "amount_max"):
        value = getattr(rule, field)
        if value is not None:
            setattr(rule, field, validate_amount(value, _AMOUNT_CURRENCY, [*loc, field]))
    if (
        rule.amount_min is not None
        and rule.amount_max is not None
        and rule.amount_min > rule.amount_max
    ):
        raise InvalidInput([*loc, "amount_max"], "amount_max must not be below amount_min")
    if rule.category_id is None and not rule.set_payee:
        raise InvalidInput(
            [*loc, "category_id"], "a rule needs an action: category_id, set_payee or both"
        )
    if rule.category_id is not None:
        resolve_owned(Category, rule.category_id, [*loc, "category_id"])
    return rule


def rule_create(
    *,
    tenant: Tenant,
    pattern: str,
    name: str = "",
    priority: int = 100,
    field: str = Rule.Field.ANY,
    match_type: str = Rule.MatchType.CONTAINS,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    category_id: int | None = None,
    set_payee: str = "",
    is_active: bool = True,
) -> Rule:
    scope_require(tenant)
    rule = Rule(
        tenant=tenant,
        pattern=pattern,
        name=name,
        priority=priority,
        field=field,
        match_type=match_type,
        amount_min=amount_min,
        amount_max=amount_max,
        category_id=category_id,
        set_payee=set_payee,
        is_active=is_active,
    )
    with transaction.atomic():
        rule_validate(rule).save()
    return rule


def rule_update(*, tenant: Tenant, rule_id: int, changes: Mapping[str, Any]) -> Rule:
    scope_require(tenant)
    values = patch_changes(changes, nullable=frozenset({"amount_min", "amount_max", "category_id"}))
    with transaction.atomic():
        rule = get_owned_or_404(Rule, rule_id, label="rule")
        for field, value in values.items():
            setattr(rule, field, value)
        rule_validate(rule).save()
    return rule


def rule_delete(*, tenant: Tenant, rule_id: int) -> None:
    scope_require(tenant)
    with transaction.atomic():
        get_owned_or_404(Rule, rule_id, label="rule").delete()


@dataclass(frozen=True)
class RuleChange:
    transaction_id: int
    date: date
    amount: Decimal
    description: str
    rule_id: int
    category_id_before: int | None
    category_id_after: int | None
    payee_before: str
    payee_after: str


@dataclass(frozen=True)
class RuleApplyResult:
    dry_run: bool
    changed: int
    changes: list[RuleChange]


def rules_apply(
    *,
    tenant: Tenant,
    dry_run: bool = True,
    account_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    only_uncategorized: bool = True,
) -> RuleApplyResult:
    """Run the tenant's rules over its stored transactions; write only when not a dry run."""
    scope_require(tenant)
    untransferred = Transaction.objects.filter(transfer_id__isnull=True)
    queryset = dated_rows(untransferred, start=start, end=end, source="body", account_id=account_id)
    with transaction.atomic():
        rules = rules_compile(Rule.objects.order_by("priority", "id"))
        if account_id is not None:
            resolve_owned(Account, account_id, ["account_id"])
        if only_uncategorized:
            queryset = queryset.filter(category__isnull=True)
        columns = ("id", "date", "amount", "description", "payee", "category_id")
        updates: dict[int, tuple[int | None, str]] = {}
        shown: list[RuleChange] = []
        for pk, day, amount, description, payee, category_id in (
            queryset.order_by("date", "id").values_list(*columns).iterator(chunk_size=2000)
        ):
            outcome = rules_classify(
                rules, description=description, payee=payee, amount=amount, category_id=category_id
            )
            if outcome.rule_id is None or (outcome.category_id, outcome.payee) == (
                category_id,
                payee,
            ):
                continue
            updates[pk] = (outcome.category_id, outcome.payee)
            if len(shown) < CHANGES_SHOWN:
                shown.append(
                    RuleChange(
                        pk,
                        day,
                        amount,
                        description,
                        outcome.rule_id,
                        category_id,
                        outcome.category_id,
                        payee,
                        outcome.payee,
                    )
                )
        if not dry_run and updates:
            transactions_reclassify(tenant=tenant, changes=updates)
    return RuleApplyResult(dry_run=dry_run, changed=len(updates), changes=shown)
