from __future__ import annotations

from django.db import models

from findash.common.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from findash.ledger.models import Category
from findash.tenancy.scoping import TenantOwnedModel


class Rule(TenantOwnedModel):
    """A categorization rule: a text match (and optional amount range) sets category/payee."""

    class Field(models.TextChoices):
        DESCRIPTION = "description"
        PAYEE = "payee"
        ANY = "any"

    class MatchType(models.TextChoices):
        CONTAINS = "contains"
        REGEX = "regex"

    name = models.CharField(max_length=200, blank=True, default="")
    priority = models.IntegerField(default=100)
    field = models.CharField(max_length=16, choices=Field.choices, default=Field.ANY)
    match_type = models.CharField(max_length=16, choices=MatchType.choices)
    pattern = models.CharField(max_length=500)
    amount_min = models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, null=True, blank=True
    )
    amount_max = models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, null=True, blank=True
    )
    # A deleted category leaves the rule in place without that action.
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_payee = models.CharField(max_length=200, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "priority", "id"], name="rule_tenant_order")]

    def __str__(self) -> str:
        return f"{self.match_type} {self.pattern!r}"
