"""Ledger reads. Every query goes through the scoped managers of the acting tenant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import Q, QuerySet

from findash.common.errors import InvalidInput
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.tenancy.scoping import get_owned_or_404

_Rows = TypeVar("_Rows", bound=Transaction | ExchangeRate)


def dated_rows(
    queryset: QuerySet[_Rows],
    *,
    start: date | None = None,
    end: date | None = None,
    source: str = "query",
    **equal: object,
) -> QuerySet[_Rows]:
    """Rows dated ``start``..``end`` (inclusive, either open) whose fields equal the values in
    ``equal`` that are not None. A reversed range is bad input on ``end``."""
    if start and end and start > end:
        raise InvalidInput(["end"], "end must not be before start", source=source)
    conditions = {field: value for field, value in equal.items() if value is not None}
    if start is not None:
        conditions["date__gte"] = start
    if end is not None:
        conditions["date__lte"] = end
    return queryset.filter(**conditions)


def _amount_size(
    queryset: QuerySet[Transaction], low: Decimal | None, high: Decimal | None
) -> QuerySet[Transaction]:
    """Rows whose amount, sign ignored, is within [low, high]."""
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            ["max_amount"], "max_amount must not be below min_amount", source="query"
        )
    positive, negative = Q(amount__gte=0), Q(amount__lt=0)
    if low is not None:
        positive &= Q(amount__gte=low)
        negative &= Q(amount__lte=-low)
    if high is not None:
        positive &= Q(amount__lte=high)
        negative &= Q(amount__gte=-high)
    return queryset.filter(positive | negative)


def account_list() -> QuerySet[Account]:
    return Account.objects.order_by("id")


def account_get(*, account_id: int) -> Account:
    return get_owned_or_404(Account, account_id, label="account")


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("id")


def category_get(*, category_id: int) -> Category:
    return get_owned_or_404(Category, category_id, label="category")


def transaction_list(
    *,
    account_id: int | None = None,
    category_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    q: str | None = None,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
) -> QuerySet[Transaction]:
    """Newest first (date, then id, descending)."""
    queryset = dated_rows(
        Transaction.objects.all(),
        start=start,
        end=end,
        account_id=account_id,
        category_id=category_id,
    )
    if q:
        queryset = queryset.filter(Q(description__icontains=q) | Q(payee__icontains=q))
    if min_amount is not None or max_amount is not None:
        queryset = _amount_size(queryset, min_amount, max_amount)
    return queryset.order_by("-date", "-id")


def transaction_get(*, transaction_id: int) -> Transaction:
    return get_owned_or_404(Transaction, transaction_id, label="transaction")


def exchange_rate_list(
    *,
    base: str | None = None,
    quote: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[ExchangeRate]:
    rates = dated_rows(ExchangeRate.objects.all(), start=start, end=end, base=base, quote=quote)
    return rates.order_by("-date", "base", "quote", "id")


def exchange_rate_get(*, exchange_rate_id: int) -> ExchangeRate:
    return get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
