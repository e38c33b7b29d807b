"""Which imported rows are already in the account.

A row is a duplicate of a stored transaction of the same account with the same
date and amount and either the same bank id (OFX ``FITID``, CAMT entry
reference) or, when the row has no bank id, the same normalized description.
Keys are counted, not just seen: a file with two identical coffees on one day
against one stored coffee creates one more, and importing it again creates none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from decimal import Decimal

from django.db.models import CharField
from django.db.models.functions import Cast

from findash.imports.parsers.rows import ParsedRow
from findash.ledger.models import Account, Transaction


def normalized(text: str) -> str:
    return " ".join(text.casefold().split())


def dedup_key(day: str, amount: Decimal, bank_id: str, description: str, payee: str) -> Hashable:
    """``day`` is the ISO date; Decimal keys compare by value ("-3.5" == "-3.50")."""
    if bank_id:
        return ("bank", day, amount, bank_id)
    return ("text", day, amount, normalized(description or payee))


def duplicates_mark(account: Account, rows: Sequence[ParsedRow]) -> list[bool]:
    """For each row, whether it is already stored (call inside the tenant's scope)."""
    if not rows:
        return []
    # Read as text: Django's per-value converters would cost more than the comparison itself.
    stored_rows = (
        Transaction.objects.filter(
            account=account,
            date__gte=min(row.date for row in rows),
            date__lte=max(row.date for row in rows),
        )
        .annotate(day=Cast("date", CharField()), money=Cast("amount", CharField()))
        .values_list("day", "money", "bank_id", "description", "payee")
        .iterator(chunk_size=5000)
    )
    stored: Counter[Hashable] = Counter(
        dedup_key(day[:10], Decimal(money), bank_id, description, payee)
        for day, money, bank_id, description, payee in stored_rows
    )
    marks = []
    for row in rows:
        key = dedup_key(row.date.isoformat(), row.amount, row.bank_id, row.description, row.payee)
        if stored[key] > 0:
            stored[key] -= 1
            marks.append(True)
        else:
            marks.append(False)
    return marks
