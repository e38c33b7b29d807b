"""De-duplication: same account, date, amount and bank id (or normalized description)."""

from __future__ import annotations

from tests.imports import samples
from tests.imports.conftest import Ledger, stored, upload


def test_same_ofx_twice_creates_nothing_the_second_time(ledger: Ledger) -> None:
    first = upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    again = upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    assert (first.json()["created"], first.json()["duplicates"]) == (4, 0)
    assert (again.status_code, again.json()["created"], again.json()["duplicates"]) == (201, 0, 4)
    assert {row["status"] for row in again.json()["rows"]} == {"duplicate"}
    assert len(stored(ledger.world.org)) == 4


def test_overlapping_statement_imports_only_new_lines(ledger: Ledger) -> None:
    upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    later = [
        *samples.OFX_LINES[2:],
        ("202601120005", samples.OFX_LINES[0][1].replace(day=12), "-5.00", "BAKERY", ""),
    ]
    response = upload(
        ledger.owner, samples.ofx_statement(lines=later), account_id=ledger.checking.pk, fmt="ofx"
    )
    body = response.json()
    assert (body["created"], body["duplicates"]) == (1, 2)
    assert [row["status"] for row in body["rows"]] == ["duplicate", "duplicate", "new"]


def test_same_bank_id_into_another_account_is_not_a_duplicate(ledger: Ledger) -> None:
    upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    response = upload(
        ledger.owner, samples.ofx_statement(), account_id=ledger.savings.pk, fmt="ofx"
    )
    assert response.json()["created"] == 4


def test_csv_without_bank_id_matches_normalized_description(ledger: Ledger) -> None:
    first = (
        b"date,amount,description\n2026-01-02,-3.50,Coffee  Shop\n2026-01-02,-3.50,Coffee Shop\n"
    )
    again = b"date,amount,description\n2026-01-02,-3.50,COFFEE SHOP\n2026-01-02,-3.50,coffee shop\n"
    assert (
        upload(ledger.owner, first, account_id=ledger.checking.pk, fmt="csv").json()["created"] == 2
    )  # two identical coffees on one day are two transactions
    response = upload(ledger.owner, again, account_id=ledger.checking.pk, fmt="csv")
    assert (response.json()["created"], response.json()["duplicates"]) == (0, 2)
    third = first + b"2026-01-02,-3.50,coffee shop\n"
    response = upload(ledger.owner, third, account_id=ledger.checking.pk, fmt="csv")
    assert (response.json()["created"], response.json()["duplicates"]) == (1, 2)
    assert len(stored(ledger.world.org)) == 3


def test_a_different_amount_or_date_is_not_a_duplicate(ledger: Ledger) -> None:
    upload(
        ledger.owner,
        b"date,amount,description\n2026-01-02,-3.50,Coffee\n",
        account_id=ledger.checking.pk,
        fmt="csv",
    )
    response = upload(
        ledger.owner,
        b"date,amount,description\n2026-01-02,-3.60,Coffee\n2026-01-03,-3.50,Coffee\n",
        account_id=ledger.checking.pk,
        fmt="csv",
    )
    assert response.json()["created"] == 2


def test_dry_run_previews_and_writes_nothing(ledger: Ledger) -> None:
    upload(ledger.owner, samples.camt053(), account_id=_eur(ledger), fmt="camt053")
    before = stored(ledger.world.org)
    entries = [
        {
            "ref": "NTRY-0002",
            "amount": "89.90",
            "ind": "DBIT",
            "date": "2026-03-02",
            "party": "Telekom Deutschland",
            "text": "Mobilfunk Maerz",
        },
        {
            "ref": "NTRY-0004",
            "amount": "20.00",
            "ind": "DBIT",
            "date": "2026-03-05",
            "party": "Kiosk",
            "text": "Zeitung",
        },
    ]
    response = upload(
        ledger.owner,
        samples.camt053(entries),
        account_id=_eur(ledger),
        fmt="camt053",
        dry_run=True,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["batch_id"], body["created"], body["duplicates"]) == (
        True,
        None,
        1,
        1,
    )
    assert [(r["where"], r["status"], r["amount"]) for r in body["rows"]] == [
        ("Stmt/Ntry[1]", "duplicate", "-89.90"),
        ("Stmt/Ntry[2]", "new", "-20.00"),
    ]
    assert stored(ledger.world.org) == before
    assert ledger.owner.get("/imports").json()["count"] == 1


def _eur(ledger: Ledger) -> int:
    from findash.ledger.models import Account
    from findash.tenancy.scoping import tenant_scope
    from tests import factories

    with tenant_scope(ledger.world.org):
        found = Account.objects.filter(currency="EUR").first()
    return (found or factories.make_account(ledger.world.org, currency="EUR")).pk
