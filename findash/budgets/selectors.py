"""Budget reads, always within the acting tenant's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from findash.budgets.models import Budget
from findash.tenancy.scoping import get_owned_or_404


def budget_list(*, category_id: int | None = None) -> QuerySet[Budget]:
    budgets = Budget.objects.all()
    if category_id is not None:
        budgets = budgets.filter(category_id=category_id)
    return budgets.order_by("id")


def budget_get(*, budget_id: int) -> Budget:
    return get_owned_or_404(Budget, budget_id, label="budget")
