"""Tables derived from transactions, kept in the same database transaction as every write.

``findash.ledger.rollups`` maintains them; ``rollup_rebuild`` recomputes or verifies
them. The dashboard reads whole months from the monthly tables and the days of
partial months (and of months whose exchange rate changes mid-month) from the
daily ones, so no read touches raw transactions in proportion to history.

``category_key`` is the category id or 0 for uncategorized, so unique keys have
no NULLs. Payee tables count *spending* only (non-transfer flows in expense
categories, and uncategorized outflows), as decided by the category's kind when
written; changing a category's kind rebuilds them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from findash.common.money import AMOUNT_DECIMAL_PLACES
from findash.tenancy.scoping import TenantOwnedModel

# Wider than an amount: a month of the largest amounts still fits.
ROLLUP_MAX_DIGITS = 28


def _money() -> models.DecimalField[Any, Any]:
    return models.DecimalField(max_digits=ROLLUP_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)


class FlowRollup(TenantOwnedModel):
    """Sums of one account's flows of one category and transfer flag."""

    account = models.ForeignKey("ledger.Account", on_delete=models.CASCADE, related_name="+")
    category_key = models.BigIntegerField()
    is_transfer = models.BooleanField()
    total = _money()
    inflow = _money()
    outflow = _money()  # positive
    count = models.IntegerField()
    # Transactions with amount > 0: the dashboard splits uncategorized flows by sign.
    inflow_count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class MonthlyRollup(FlowRollup):
    month = models.DateField()  # first day of the month

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month", "account", "category_key", "is_transfer"],
                name="rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.account_id}/{self.category_key} {self.total}"


class DailyRollup(FlowRollup):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "account", "category_key", "is_transfer"],
                name="daily_rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.account_id}/{self.category_key} {self.total}"


def _covering(period: str, name: str, *more: str) -> models.Index:
    """The unique key with the sums after it: the top-payees query reads the index alone
    (an index-only scan on PostgreSQL, a covering index on SQLite), not a heap page per row."""
    return models.Index(
        fields=["tenant", period, *more, "currency", "payee", "total_cents", "count"], name=name
    )


class PayeeRollup(TenantOwnedModel):
    """Spending per payee and currency: ``total_cents`` is the signed sum (spent < 0)."""

    currency = models.CharField(max_length=3)
    payee = models.CharField(max_length=200)
    total_cents = models.BigIntegerField()
    count = models.IntegerField()

    class Meta:
        abstract = True


class PayeeMonthlyRollup(PayeeRollup):
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month", "currency", "payee"], name="payee_month_unique"
            )
        ]
        indexes = [_covering("month", "payee_month_cover")]

    def __str__(self) -> str:
        return f"{self.month} {self.payee} {self.total_cents}"


class PayeeDailyRollup(PayeeRollup):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "currency", "payee"], name="payee_day_unique"
            )
        ]
        indexes = [_covering("day", "payee_day_cover")]

    def __str__(self) -> str:
        return f"{self.day} {self.payee} {self.total_cents}"


class PayeeSpanRollup(PayeeRollup):
    """Spending per payee over an aligned span of whole months (``ledger.payee_spans``)."""

    start = models.DateField()  # first day of the span's first month
    months = models.PositiveSmallIntegerField()  # 2, 4, 8 or 12

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "months", "start", "currency", "payee"],
                name="payee_span_unique",
            )
        ]
        indexes = [_covering("months", "payee_span_cover", "start")]

    def __str__(self) -> str:
        return f"{self.start}+{self.months}m {self.payee} {self.total_cents}"


class PayeeTotalRollup(PayeeRollup):
    """Spending per payee over all time: a period that holds most of a tenant's history is
    read as this less the little outside it (``findash.dashboard.payee_window``)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "currency", "payee"], name="payee_total_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["tenant", "currency", "payee", "total_cents", "count"],
                name="payee_total_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payee} {self.total_cents}"


class PayeeNumber(TenantOwnedModel):
    """A payee's number in its tenant, for the packed rollups: given once, never changed
    (a reader may decode a block and look the numbers up in a later statement)."""

    payee = models.CharField(max_length=200)
    number = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "payee"], name="payee_number_payee"),
            models.UniqueConstraint(fields=["tenant", "number"], name="payee_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.payee}"


class PayeePackedRollup(TenantOwnedModel):
    """The payee rollups' sums of one block, packed (``findash.ledger.payee_packed``): a day
    (``months`` 0), a month (1), an aligned span (2, 4, 8, 12) or all time
    (``ALL_TIME_MONTHS``), for the payees numbered ``chunk x CHUNK_PAYEES`` onwards; three
    little-endian arrays, sorted by payee number."""

    currency = models.CharField(max_length=3)
    months = models.PositiveSmallIntegerField()
    start = models.DateField()
    chunk = models.IntegerField()
    numbers = models.BinaryField()  # uint32
    cents = models.BinaryField()  # int64, signed: spending is negative
    counts = models.BinaryField()  # int32

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "currency", "months", "start", "chunk"],
                name="payee_packed_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.start}+{self.months}m chunk {self.chunk}"
