"""hledger on the exported journal agrees with the dashboard to the cent.

Needs Debian's ``hledger`` (.ci/run installs it): skipped with the reason when it is
missing, a failure under CI=true.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from findash.exports.ledger_export import account_names
from findash.ledger.models import Account
from tests.conftest import World
from tests.exports.random_tenant import build

PERIODS = [(date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 3, 10), date(2026, 6, 30))]


def _hledger() -> str:
    path = shutil.which("hledger")
    if path is not None:
        return path
    reason = "hledger is not installed (apt-get install hledger)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true: .ci/run must install it")
    print(f"\nSKIP: {reason}")
    pytest.skip(reason)


def _csv(binary: str, journal: Path, *args: str) -> list[list[str]]:
    result = subprocess.run(
        [binary, "-f", str(journal), *args, "-O", "csv"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return list(csv.reader(io.StringIO(result.stdout)))


def _usd(cell: str) -> Decimal:
    """hledger's amount cell ("1234.50 USD", "0", "-3.00 EUR, 1.00 USD") in one currency."""
    amounts = {"USD": Decimal(0), "EUR": Decimal(0)}
    for part in filter(None, (p.strip() for p in cell.split(","))):
        if part == "0":
            continue
        number, currency = part.split()
        amounts[currency] += Decimal(number)
    return amounts


def _income_statement(
    binary: str, journal: Path, start: date, end: date
) -> tuple[Decimal, Decimal]:
    rows = _csv(
        binary, journal, "incomestatement", "-b", str(start), "-e", str(end + timedelta(days=1))
    )
    totals = [row[1] for row in rows if row and row[0] == "total"]
    revenues, expenses = (_usd(cell) for cell in totals[:2])
    assert revenues["EUR"] == expenses["EUR"] == 0
    return revenues["USD"], expenses["USD"]


@pytest.mark.parametrize("seed", [3, 11])
def test_balance_and_income_statement_match_the_dashboard(
    world: World, tmp_path: Path, seed: int
) -> None:
    binary = _hledger()
    accounts = build(world.org, seed=seed)
    client = world.client(world.owner, world.org)
    response = client.get("/exports/journal.ledger")
    journal = tmp_path / "journal.ledger"
    journal.write_bytes(b"".join(response.streaming_content))
    names = account_names(accounts)
    for start, end in PERIODS:
        dashboard = client.get(f"/financial/dashboard?start={start}&end={end}").json()
        balances = {
            row[0]: _usd(row[1])
            for row in _csv(
                binary, journal, "balance", "--flat", "-e", str(end + timedelta(days=1))
            )[1:]
        }
        for summary in dashboard["accounts"]:
            account = next(a for a in accounts if a.pk == summary["account_id"])
            held = balances.get(names[account.pk], {"USD": Decimal(0), "EUR": Decimal(0)})
            assert held[account.currency] == Decimal(summary["balance"]), (start, end, account)
        income, expenses = _income_statement(binary, journal, start, end)
        assert income == Decimal(dashboard["summary"]["income"]), (start, end)
        assert expenses == Decimal(dashboard["summary"]["expenses"]), (start, end)
        liabilities = sum(
            -balances[names[a.pk]]["USD"] for a in accounts if a.type in Account.LIABILITY_TYPES
        )
        assert liabilities == Decimal(dashboard["summary"]["total_liabilities"])
