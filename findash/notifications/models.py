from __future__ import annotations

from django.db import models

from findash.budgets.models import Budget
from findash.tenancy.scoping import TenantOwnedModel


class BudgetAlert(TenantOwnedModel):
    """A budget alert already emailed: each budget, month and status is announced once."""

    class Status(models.TextChoices):
        WARNING = "warning"
        OVER = "over"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    status = models.CharField(max_length=8, choices=Status.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "budget", "month", "status"], name="budgetalert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.month:%Y-%m} {self.status}"
