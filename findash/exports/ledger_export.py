"""``journal.ledger``: the tenant as an hledger/Ledger journal.

Accounts are ``assets:<name>`` or ``liabilities:<name>`` (credit cards, loans),
categories ``income:<parent>:<name>`` / ``expenses:<parent>:<name>``,
uncategorized flows ``income:uncategorized`` (money in) and
``expenses:uncategorized`` (money out), opening balances come from
``equity:opening balances`` on the first transaction's date, each currency is a
commodity, exchange rates are ``P`` price directives, and a transfer is one
transaction of two postings (with an ``@@`` cost between two currencies). So
``hledger balance`` gives the dashboard's balances, and ``hledger
incomestatement`` its income and expenses, for the same dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from findash.common.currencies import MINOR_UNITS
from findash.common.money import round_money
from findash.exports.tables import TenantTables
from findash.ledger.models import Account, Category

OPENING = "equity:opening balances"
UNCATEGORIZED_IN = "income:uncategorized"
UNCATEGORIZED_OUT = "expenses:uncategorized"
ROWS_PER_CHUNK = 1000


def _segment(name: str, fallback: str) -> str:
    # ":" separates account levels, two spaces end an account name, ";" starts a comment.
    cleaned = re.sub(r"\s+", " ", name.replace(":", "-").replace(";", ",")).strip()
    return cleaned or fallback


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace(";", ",")).strip()


def _unique(names: dict[int, str]) -> dict[int, str]:
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name.casefold()] = seen.get(name.casefold(), 0) + 1
    return {
        pk: f"{name} #{pk}" if seen[name.casefold()] > 1 else name for pk, name in names.items()
    }


def account_names(accounts: list[Account]) -> dict[int, str]:
    names = _unique({a.pk: _segment(a.name, f"account {a.pk}") for a in accounts})
    return {a.pk: ("liabilities:" if a.is_liability else "assets:") + names[a.pk] for a in accounts}


def category_names(categories: list[Category]) -> dict[int, str]:
    by_id = {c.pk: c for c in categories}
    own = _unique({c.pk: _segment(c.name, f"category {c.pk}") for c in categories})
    names = {}
    for category in categories:
        path: list[str] = []
        seen: set[int] = set()
        node: Category | None = category
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append(own[node.pk])
            node = by_id.get(node.parent_id) if node.parent_id else None
        root = "income" if category.kind == Category.Kind.INCOME else "expenses"
        names[category.pk] = ":".join([root, *reversed(path)])
    return names


def _amount(value: Decimal, currency: str) -> str:
    return f"{format(round_money(value, currency), 'f')} {currency}"


def _posting(account: str, amount: str) -> str:
    return f"    {account}  {amount}\n"


def _header(tables: TenantTables, accounts: dict[int, str], opening_day: date) -> Iterator[str]:
    tenant = tables.tenant
    yield (
        f"; findash journal: {_text(tenant.name)} ({tenant.public_id}), "
        f"base currency {tenant.base_currency}, exported {timezone.now():%Y-%m-%d %H:%M} UTC\n\n"
    )
    currencies = sorted({a.currency for a in tables.accounts} | {tenant.base_currency})
    for currency in currencies:
        places = min(MINOR_UNITS.get(currency, 2), 2)
        yield f"commodity 1000{'.' + '0' * places if places else ''} {currency}\n"
    yield "\n"
    for rate in tables.exchange_rates:
        yield f"P {rate.date} {rate.base} {format(rate.rate.normalize(), 'f')} {rate.quote}\n"
    for account in tables.accounts:
        if account.opening_balance:
            yield (
                f"\n{opening_day} opening balance | {_text(account.name)}\n"
                + _posting(accounts[account.pk], _amount(account.opening_balance, account.currency))
                + _posting(OPENING, _amount(-account.opening_balance, account.currency))
            )


def _entry(row: dict[str, Any], accounts: dict[int, str], categories: dict[int, str]) -> str:
    amount = row["amount"]
    category_id = row["category_id"]
    if category_id is not None:
        other = categories[category_id]
    else:
        other = UNCATEGORIZED_IN if amount > 0 else UNCATEGORIZED_OUT
    return (
        _title(row)
        + _posting(accounts[row["account_id"]], _amount(amount, row["currency"]))
        + _posting(other, _amount(-amount, row["currency"]))
    )


def _title(row: dict[str, Any]) -> str:
    payee, description = _text(row["payee"]), _text(row["description"])
    title = f"{payee} | {description}" if payee else description
    if title.startswith(("*", "!", "(")):  # hledger would read a status mark or a code
        title = "'" + title
    return f"\n{row['date']} {title}".rstrip() + f"  ; id:{row['id']}\n"


def _transfer(legs: list[dict[str, Any]], accounts: dict[int, str]) -> str:
    if len(legs) != 2:  # a lone leg (never written by findash) balances against equity
        return "".join(
            _title(leg)
            + _posting(accounts[leg["account_id"]], _amount(leg["amount"], leg["currency"]))
            + _posting("equity:transfers", _amount(-leg["amount"], leg["currency"]))
            for leg in legs
        )
    source, target = sorted(legs, key=lambda leg: leg["amount"])
    cost = ""
    if source["currency"] != target["currency"]:
        cost = f" @@ {_amount(abs(target['amount']), target['currency'])}"
    return (
        _title(source)
        + _posting(
            accounts[source["account_id"]], _amount(source["amount"], source["currency"]) + cost
        )
        + _posting(accounts[target["account_id"]], _amount(target["amount"], target["currency"]))
    )


def journal(tables: TenantTables) -> Iterator[str]:
    accounts = account_names(tables.accounts)
    categories = category_names(tables.categories)
    yield from _header(tables, accounts, tables.first_date or timezone.localdate())
    chunk: list[str] = []
    pending: dict[Any, list[dict[str, Any]]] = {}  # transfer legs of the current day
    day = None
    for row in tables.transaction_rows():
        if row["date"] != day:
            chunk.extend(_transfer(legs, accounts) for legs in pending.values())
            pending, day = {}, row["date"]
        if row["transfer_id"] is not None:
            pending.setdefault(row["transfer_id"], []).append(row)
            if len(pending[row["transfer_id"]]) == 2:
                chunk.append(_transfer(pending.pop(row["transfer_id"]), accounts))
        else:
            chunk.append(_entry(row, accounts, categories))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    chunk.extend(_transfer(legs, accounts) for legs in pending.values())
    yield "".join(chunk)
