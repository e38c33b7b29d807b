"""Rule reads, scoped to the acting tenant."""

from __future__ import annotations

from django.db.models import QuerySet

from findash.rules.models import Rule
from findash.tenancy.scoping import get_owned_or_404


def rule_list() -> QuerySet[Rule]:
    """In the order they are tried: priority, then id."""
    return Rule.objects.order_by("priority", "id")


def rule_get(*, rule_id: int) -> Rule:
    return get_owned_or_404(Rule, rule_id, label="rule")
