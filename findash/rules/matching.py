"""Rule matching, shared by imports (new rows) and on-demand application (stored rows).

Rules are tried in ascending ``priority`` (then id); the first active rule that
matches decides the category and/or the payee. Text matching ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from findash.rules.models import Rule


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule_id: int
    field: str
    regex: re.Pattern[str] | None
    needle: str
    amount_min: Decimal | None
    amount_max: Decimal | None
    category_id: int | None
    set_payee: str

    def matches(self, *, description: str, payee: str, amount: Decimal) -> bool:
        if self.amount_min is not None and amount < self.amount_min:
            return False
        if self.amount_max is not None and amount > self.amount_max:
            return False
        texts = {
            Rule.Field.DESCRIPTION: (description,),
            Rule.Field.PAYEE: (payee,),
        }.get(self.field, (description, payee))  # type: ignore[call-overload]
        if self.regex is not None:
            return any(self.regex.search(text) for text in texts)
        return any(self.needle in text.casefold() for text in texts)


@dataclass(frozen=True, slots=True)
class Outcome:
    rule_id: int | None
    category_id: int | None
    payee: str


def compile_pattern(match_type: str, pattern: str) -> re.Pattern[str] | None:
    """The compiled regex (raises ``re.error`` when invalid), None for a substring match."""
    if match_type == Rule.MatchType.REGEX:
        return re.compile(pattern, re.IGNORECASE)
    return None


def rules_compile(rules: Iterable[Rule]) -> list[CompiledRule]:
    return [
        CompiledRule(
            rule_id=rule.pk,
            field=rule.field,
            regex=compile_pattern(rule.match_type, rule.pattern),
            needle=rule.pattern.casefold(),
            amount_min=rule.amount_min,
            amount_max=rule.amount_max,
            category_id=rule.category_id,
            set_payee=rule.set_payee,
        )
        for rule in rules
        if rule.is_active
    ]


def rules_classify(
    rules: Sequence[CompiledRule],
    *,
    description: str,
    payee: str,
    amount: Decimal,
    category_id: int | None,
) -> Outcome:
    """What the first matching rule makes of a row; the row unchanged when none matches."""
    if not rules:
        return Outcome(rule_id=None, category_id=category_id, payee=payee)
    for rule in rules:
        if rule.matches(description=description, payee=payee, amount=amount):
            return Outcome(
                rule_id=rule.rule_id,
                category_id=rule.category_id if rule.category_id is not None else category_id,
                payee=rule.set_payee or payee,
            )
    return Outcome(rule_id=None, category_id=category_id, payee=payee)
