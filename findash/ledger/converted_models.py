"""Flows already converted into a target currency, so multi-currency dashboards read a
bounded number of rows whatever the history (``findash.ledger.converted`` keeps them).

Each converted sum is ``Σ amount * rate(day)`` over the non-target-currency flows of one
day, month or aligned span of months, held as an interval of units of ``10**-30`` of the
target currency: ``low`` is ``Σ floor(term * 10**30)`` and ``inexact`` the number of terms
with a remainder, so the exact value lies in ``[low, low + inexact]`` (an inverse rate's
terms do not terminate). ``low`` exceeds 64 bits (and SQLite would store a wide NUMERIC as a
float), so it is stored as three limbs ``hi * 10**30 + mid * 10**15 + lo`` with ``mid`` and
``lo`` in ``[0, 10**15)``: SQL sums each limb exactly in 64 bits over thousands of rows, and
``fx_rates.from_limbs`` puts the sums back together.

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


class ConvertedFlowRollup(TenantOwnedModel):
    """Non-transfer flows of one category in every currency but ``target``, over one day
    (``months`` 0, ``start`` the day) or one calendar month (``months`` 1)."""

    target = models.CharField(max_length=3)
    months = models.PositiveSmallIntegerField()
    start = models.DateField()
    category_key = models.BigIntegerField()
    total_hi = models.BigIntegerField()
    total_mid = models.BigIntegerField()
    total_lo = models.BigIntegerField()
    total_inexact = models.IntegerField()
    inflow_hi = models.BigIntegerField()
    inflow_mid = models.BigIntegerField()
    inflow_lo = models.BigIntegerField()
    inflow_inexact = models.IntegerField()
    outflow_hi = models.BigIntegerField()  # positive
    outflow_mid = models.BigIntegerField()
    outflow_lo = models.BigIntegerField()
    outflow_inexact = models.IntegerField()
    count = models.IntegerField()
    inflow_count = models.IntegerField()
    missing = models.TextField(default="", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "target", "months", "start", "category_key"],
                name="converted_flow_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.start}+{self.months}m {self.category_key}"


class ConvertedPayeeRollup(TenantOwnedModel):
    """Spending per payee in every currency but ``target`` over one day (``months`` 0),
    one calendar month (1) or an aligned span of months (2, 4, 8, 12:
    ``ledger.payee_spans``) from ``start``; the sum is signed (spending is negative)."""

    target = models.CharField(max_length=3)
    months = models.PositiveSmallIntegerField()
    start = models.DateField()
    payee = models.CharField(max_length=200)
    hi = models.BigIntegerField()
    mid = models.BigIntegerField()
    lo = models.BigIntegerField()
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
        return f"{self.target} {self.start}+{self.months}m {self.payee}"
