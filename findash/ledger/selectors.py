"""Ledger reads. Every query goes through the scoped managers of the acting tenant."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from findash.common.errors import InvalidInput
from findash.ledger.models import Account, Category, ExchangeRate, Transaction
from findash.ledger.schemas import ExchangeRateFilters, TransactionFilters
from findash.tenancy.scoping import get_owned_or_404


def _check_range(filters: TransactionFilters | ExchangeRateFilters) -> None:
    if filters.start and filters.end and filters.start > filters.end:
        raise InvalidInput(["query", "end"], "end must not be before start")


def _amount_size(
    queryset: QuerySet[Transaction], filters: TransactionFilters
) -> QuerySet[Transaction]:
    """Rows whose amount, sign ignored, is within [min_amount, max_amount]."""
    low, high = filters.min_amount, filters.max_amount
    if low is not None and high is not None and low > high:
        raise InvalidInput(["query", "max_amount"], "max_amount must not be below min_amount")
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


def transaction_list(*, filters: TransactionFilters) -> QuerySet[Transaction]:
    """Newest first (date, then id, descending)."""
    _check_range(filters)
    queryset = Transaction.objects.all()
    if filters.account_id is not None:
        queryset = queryset.filter(account_id=filters.account_id)
    if filters.category_id is not None:
        queryset = queryset.filter(category_id=filters.category_id)
    if filters.start is not None:
        queryset = queryset.filter(date__gte=filters.start)
    if filters.end is not None:
        queryset = queryset.filter(date__lte=filters.end)
    if filters.q:
        queryset = queryset.filter(
            Q(description__icontains=filters.q) | Q(payee__icontains=filters.q)
        )
    if filters.min_amount is not None or filters.max_amount is not None:
        queryset = _amount_size(queryset, filters)
    return queryset.order_by("-date", "-id")


def transaction_get(*, transaction_id: int) -> Transaction:
    return get_owned_or_404(Transaction, transaction_id, label="transaction")


def exchange_rate_list(*, filters: ExchangeRateFilters) -> QuerySet[ExchangeRate]:
    _check_range(filters)
    queryset = ExchangeRate.objects.all()
    if filters.base is not None:
        queryset = queryset.filter(base=filters.base)
    if filters.quote is not None:
        queryset = queryset.filter(quote=filters.quote)
    if filters.start is not None:
        queryset = queryset.filter(date__gte=filters.start)
    if filters.end is not None:
        queryset = queryset.filter(date__lte=filters.end)
    return queryset.order_by("-date", "base", "quote", "id")


def exchange_rate_get(*, exchange_rate_id: int) -> ExchangeRate:
    return get_owned_or_404(ExchangeRate, exchange_rate_id, label="exchange rate")
