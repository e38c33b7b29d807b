from __future__ import annotations

from typing import Any

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
    # The first day of ``date``'s month, kept by ``save`` and every bulk insert: the
    # largest-outflows walk reads one month's outflows in amount order (see migration 0003).
    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "date", "id"], name="txn_tenant_date"),
            models.Index(fields=["tenant", "account", "date"], name="txn_tenant_account_date"),
            models.Index(fields=["tenant", "category", "date"], name="txn_tenant_category_date"),
            models.Index(fields=["tenant", "transfer_id"], name="txn_tenant_transfer"),
            # largest_expenses: one month's non-transfer flows, most negative first. (No
            # ``amount < 0`` in the condition: SQLite cannot match it to a bound parameter.)
            models.Index(
                fields=["tenant", "currency", "month", "amount", "id"],
                condition=models.Q(transfer_id__isnull=True),
                name="txn_nontransfer_by_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.currency}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.month = self.date.replace(day=1)
        super().save(*args, **kwargs)


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


# A transaction's own columns, in the order readers (exports, the dashboard) select them.
TRANSACTION_FIELDS = (
    "id",
    "account_id",
    "date",
    "amount",
    "currency",
    "category_id",
    "description",
    "payee",
    "transfer_id",
    "bank_id",
    "created_at",
)

from findash.ledger.converted_models import (  # noqa: E402  (models of this app)
    ConvertedFlowRollup,
    ConvertedPayeeRollup,
    ConvertedState,
)
from findash.ledger.rollup_models import (  # noqa: E402  (models of this app)
    DailyRollup,
    MonthlyRollup,
    PayeeDailyRollup,
    PayeeMonthlyRollup,
    PayeeNumber,
    PayeePackedRollup,
    PayeeSpanRollup,
    PayeeTotalRollup,
)

__all__ = [
    "TRANSACTION_FIELDS",
    "Account",
    "Category",
    "ConvertedFlowRollup",
    "ConvertedPayeeRollup",
    "ConvertedState",
    "DailyRollup",
    "ExchangeRate",
    "MonthlyRollup",
    "PayeeDailyRollup",
    "PayeeMonthlyRollup",
    "PayeeNumber",
    "PayeePackedRollup",
    "PayeeSpanRollup",
    "PayeeTotalRollup",
    "Transaction",
]
