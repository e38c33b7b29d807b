"""Flows already converted into a target currency, so multi-currency dashboards read a
bounded number of rows whatever the history (``findash.ledger.converted`` keeps them).

Each converted sum is ``Σ amount * rate(day)`` over the non-target-currency flows of one
month (or aligned span of months), held as an interval of units of ``10**-30`` of the target
currency: ``low`` is ``Σ floor(term * 10**30)`` and ``inexact`` the number of terms with a
remainder, so the exact value lies in ``[low, low + inexact]`` (an inverse rate's terms do
not terminate). ``low`` exceeds 64 bits, so it is stored as text and summed in Python.

``missing`` lists ``CUR:YYYY-MM-DD`` for each source currency with flows on a day with no
rate into the target (its first such day): those amounts are left out, with a warning.

A tenant's rows are complete only while its ``ConvertedState`` row exists and names the
targets; without it the dashboard converts per day from the daily rollups.
"""

from __future__ import annotations

from django.db import models

from findash.tenancy.scoping import TenantOwnedModel


class ConvertedState(TenantOwnedModel):
    """The targets (base currency and budget currencies) a tenant's converted rows cover."""

    base = models.CharField(max_length=3)
    targets = models.CharField(max_length=200)  # comma-separated, sorted, the base included

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="converted_state_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.targets}"

    @property
    def target_set(self) -> set[str]:
        return set(filter(None, self.targets.split(",")))


class ConvertedMonthlyRollup(TenantOwnedModel):
    """Non-transfer flows of one category and month in every currency but ``target``."""

    target = models.CharField(max_length=3)
    month = models.DateField()
    category_key = models.BigIntegerField()
    total_low = models.TextField()
    total_inexact = models.IntegerField()
    inflow_low = models.TextField()
    inflow_inexact = models.IntegerField()
    outflow_low = models.TextField()  # positive
    outflow_inexact = models.IntegerField()
    count = models.IntegerField()
    inflow_count = models.IntegerField()
    missing = models.TextField(default="", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "target", "month", "category_key"],
                name="converted_month_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.month} {self.category_key} {self.total_low}"


class ConvertedPayeeRollup(TenantOwnedModel):
    """Spending per payee in every currency but ``target`` over ``months`` months from
    ``start``: 1 (a calendar month) or an aligned span (``ledger.payee_spans``)."""

    target = models.CharField(max_length=3)
    months = models.PositiveSmallIntegerField()
    start = models.DateField()
    payee = models.CharField(max_length=200)
    low = models.TextField()  # signed: spending is negative
    inexact = models.IntegerField()
    count = models.IntegerField()
    missing = models.TextField(default="", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "target", "months", "start", "payee"],
                name="converted_payee_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.start}+{self.months}m {self.payee} {self.low}"
