from __future__ import annotations

from django.db import models

from findash.common.money import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    RATE_DECIMAL_PLACES,
    RATE_MAX_DIGITS,
)
from findash.tenancy.scoping import TenantOwnedModel


class Account(TenantOwnedModel):
    class Type(models.TextChoices):
        CHECKING = "checking"
        SAVINGS = "savings"
        CASH = "cash"
        INVESTMENT = "investment"
        CREDIT_CARD = "credit_card"
        LOAN = "loan"
        OTHER = "other"

    LIABILITY_TYPES = frozenset({Type.CREDIT_CARD, Type.LOAN})

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=Type.choices)
    currency = models.CharField(max_length=3)
    opening_balance = models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES
    )
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "id"], name="account_tenant_id")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_liability(self) -> bool:
        return self.type in self.LIABILITY_TYPES


class Category(TenantOwnedModel):
    class Kind(models.TextChoices):
        INCOME = "income"
        EXPENSE = "expense"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name_plural = "categories"
        indexes = [models.Index(fields=["tenant", "id"], name="category_tenant_id")]

    def __str__(self) -> str:
        return self.name


class Transaction(TenantOwnedModel):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="transactions")
    date = models.DateField()
    amount = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    currency = models.CharField(max_length=3)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    description = models.CharField(max_length=500, blank=True, default="")
    payee = models.CharField(max_length=200, blank=True, default="")
    transfer_id = models.UUIDField(null=True, blank=True)
    # The bank's own id for an imported line (OFX FITID, CAMT entry reference); de-duplication.
    bank_id = models.CharField(max_length=255, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "date", "id"], name="txn_tenant_date"),
            models.Index(fields=["tenant", "account", "date"], name="txn_tenant_account_date"),
            models.Index(fields=["tenant", "category", "date"], name="txn_tenant_category_date"),
            models.Index(fields=["tenant", "transfer_id"], name="txn_tenant_transfer"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.currency}"


class ExchangeRate(TenantOwnedModel):
    """1 ``base`` = ``rate`` ``quote`` from ``date`` on."""

    date = models.DateField()
    base = models.CharField(max_length=3)
    quote = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=RATE_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "base", "quote", "date"], name="exchangerate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} 1 {self.base} = {self.rate} {self.quote}"


class MonthlyRollup(TenantOwnedModel):
    """Per tenant, account, category and month: the sums the dashboard reads.

    Maintained in the same database transaction as every transaction write
    (see ``findash.ledger.rollups``). ``category_key`` is the category id or
    0 for uncategorized, so the unique key has no NULLs.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    category_key = models.BigIntegerField()
    month = models.DateField()  # first day of the month
    is_transfer = models.BooleanField()
    total = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    inflow = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES)
    outflow = models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES
    )  # positive
    count = models.IntegerField()
    # Transactions with amount > 0: the dashboard splits uncategorized flows by sign.
    inflow_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "month", "account", "category_key", "is_transfer"],
                name="rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.account_id}/{self.category_key} {self.total}"
