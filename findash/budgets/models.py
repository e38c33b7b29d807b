from __future__ import annotations

from django.db import models

from findash.common.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from findash.ledger.models import Category
from findash.tenancy.scoping import TenantOwnedModel


class Budget(TenantOwnedModel):
    class Period(models.TextChoices):
        MONTHLY = "monthly"

    class Rollover(models.TextChoices):
        NONE = "none"
        SURPLUS = "surplus"
        FULL = "full"

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="budgets")
    amount = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=16, choices=Period.choices, default=Period.MONTHLY)
    alert_threshold = models.DecimalField(
        max_digits=6, decimal_places=2, default=80
    )  # up to 1000 %
    rollover = models.CharField(max_length=8, choices=Rollover.choices, default=Rollover.NONE)
    start_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "category"], name="budget_tenant_category")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.amount} {self.currency}"
