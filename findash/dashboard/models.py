from __future__ import annotations

from django.db import models

from findash.tenancy.scoping import TenantOwnedModel


class PayeeMonthlyRollup(TenantOwnedModel):
    """Per tenant, month, currency, payee and category: non-transfer sums for ``top_payees``.

    Maintained next to ``MonthlyRollup`` by ``findash.ledger.rollups.rollups_apply``.
    Sums are integer minor units of 1/100 (amounts are stored with two places), so
    adding to them is exact on every database. Transactions without a payee are
    not counted; nor are uncategorized inflows, which are never spending.
    ``category_key`` is the category id, or 0 for uncategorized outflows (amount <= 0).
    """

    month = models.DateField()  # first day of the month
    currency = models.CharField(max_length=3)
    payee = models.CharField(max_length=200)
    category_key = models.BigIntegerField()
    total_cents = models.BigIntegerField()
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month", "currency", "payee", "category_key"],
                name="payee_rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.payee} {self.total_cents}"
