"""Each format imports a real-shaped file into an account, with exact amounts and rollups."""

from __future__ import annotations

from findash.ledger.models import Account, Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.imports import samples
from tests.imports.conftest import Ledger, stored, upload
from tests.ledger.conftest import rollups_match_transactions


def test_german_bank_csv_with_mapping_and_latin1(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, name="Giro", currency="EUR")
    response = upload(
        ledger.member,
        samples.GERMAN_CSV.encode("latin-1"),
        account_id=eur.pk,
        fmt="csv",
        mapping={**samples.GERMAN_MAPPING, "encoding": "latin-1"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["duplicates"], body["dry_run"]) == (3, 0, False)
    assert stored(ledger.world.org) == [
        ("2026-01-02", "-1234.56", "Einkauf Lebensmittel", "REWE Markt GmbH", ""),
        ("2026-01-03", "3100.00", "Gehalt Januar", "Arbeitgeber AG", ""),
        ("2026-01-04", "-85.00", "Abschlag; Strom", "Stadtwerke", ""),
    ]
    rollups_match_transactions(ledger.world.org)


def test_card_csv_with_outflow_positive_sign(ledger: Ledger) -> None:
    card = factories.make_account(ledger.world.org, type=Account.Type.CREDIT_CARD)
    response = upload(
        ledger.owner,
        samples.CARD_CSV.encode(),
        account_id=card.pk,
        fmt="csv",
        mapping=samples.CARD_MAPPING,
    )
    assert response.status_code == 201, response.json()
    assert stored(ledger.world.org) == [
        ("2026-01-10", "-19.99", "AMAZON MKTPLACE", "AMAZON MKTPLACE", "REF-1"),
        ("2026-01-11", "500.00", "PAYMENT THANK YOU", "PAYMENT THANK YOU", "REF-2"),
    ]


def test_debit_and_credit_columns(ledger: Ledger) -> None:
    data = b"Date,Text,Debit,Credit\n2026-02-01,Rent,950.00,\n2026-02-02,Refund,,12.30\n"
    mapping = {"debit": "Debit", "credit": "Credit", "description": "Text"}
    response = upload(
        ledger.owner,
        data,
        account_id=ledger.checking.pk,
        fmt="csv",
        mapping={"date": "Date", **mapping},
    )
    assert response.status_code == 201, response.json()
    assert [row[1] for row in stored(ledger.world.org)] == ["-950.00", "12.30"]


def test_ofx_from_ofxtools(ledger: Ledger) -> None:
    response = upload(
        ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 4
    assert stored(ledger.world.org) == [
        ("2026-01-05", "-42.17", "POS", "WHOLE FOODS #123", "202601050001"),
        ("2026-01-06", "2500.00", "SALARY", "ACME PAYROLL", "202601060002"),
        ("2026-01-06", "-42.17", "POS", "WHOLE FOODS #123", "202601060003"),
        ("2026-01-09", "-9.99", "NETFLIX.COM", "NETFLIX.COM", "202601090004"),
    ]
    rollups_match_transactions(ledger.world.org)


def test_qfx_ofx1_header(ledger: Ledger) -> None:
    data = samples.ofx_statement(version=102)
    assert data.startswith(b"OFXHEADER:100")
    response = upload(ledger.owner, data, account_id=ledger.checking.pk, fmt="qfx")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 4


def test_camt053_booked_entries_only(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, name="Business", currency="EUR")
    response = upload(ledger.owner, samples.camt053(), account_id=eur.pk, fmt="camt053")
    assert response.status_code == 201, response.json()
    assert stored(ledger.world.org) == [
        ("2026-03-01", "1250.00", "Rechnung 2026-17", "Kunde GmbH", "NTRY-0001"),
        ("2026-03-02", "-89.90", "Mobilfunk Maerz", "Telekom Deutschland", "NTRY-0002"),
    ]


def test_own_csv_export_reimports_with_the_default_mapping(ledger: Ledger) -> None:
    upload(ledger.owner, samples.ofx_statement(), account_id=ledger.checking.pk, fmt="ofx")
    exported = ledger.owner.get(f"/exports/transactions.csv?account_id={ledger.checking.pk}")
    csv_export = b"".join(exported.streaming_content)
    response = upload(ledger.owner, csv_export, account_id=ledger.savings.pk, fmt="csv")
    assert response.status_code == 201, response.json()
    with tenant_scope(ledger.world.org):
        by_account = [
            sorted(
                Transaction.objects.filter(account=account).values_list(
                    "date", "amount", "description", "payee", "bank_id"
                )
            )
            for account in (ledger.checking, ledger.savings)
        ]
    assert len(by_account[0]) == 4
    assert by_account[0] == by_account[1]
