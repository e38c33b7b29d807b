"""Bad files: a clear 4xx naming the line or element, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from findash.imports.models import ImportBatch
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.imports import samples
from tests.imports.conftest import Ledger, stored, upload

GOOD_THEN_BAD_DATE = b"date,amount,description\n2026-01-02,-1.00,ok\n2026-13-02,-2.00,bad month\n"


def _rejected(ledger: Ledger, response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert stored(ledger.world.org) == []
    with tenant_scope(ledger.world.org):
        assert not ImportBatch.objects.exists()
    detail = response.json()["detail"]
    return detail[0] if isinstance(detail, list) else {"msg": detail}


def test_a_bad_date_names_its_line_and_rejects_the_whole_file(ledger: Ledger) -> None:
    error = _rejected(
        ledger, upload(ledger.owner, GOOD_THEN_BAD_DATE, account_id=ledger.checking.pk, fmt="csv")
    )
    assert error["loc"] == ["body", "file", "line 3, column 'date'"]
    assert "'2026-13-02' does not match the date format '%Y-%m-%d'" in error["msg"]


@pytest.mark.parametrize(
    ("amount", "words"),
    [("12,50", "decimal_separator"), ("abc", "not an amount"), ("1.005", "2 decimal places")],
)
def test_a_bad_amount_names_its_line(ledger: Ledger, amount: str, words: str) -> None:
    data = f'date,amount\n2026-01-02,1.00\n2026-01-03,"{amount}"\n'.encode()
    error = _rejected(ledger, upload(ledger.owner, data, account_id=ledger.checking.pk, fmt="csv"))
    assert "line 3" in str(error["loc"])
    assert words in error["msg"]


def test_wrong_encoding_names_the_line(ledger: Ledger) -> None:
    data = samples.GERMAN_CSV.encode("latin-1")
    error = _rejected(
        ledger,
        upload(
            ledger.owner,
            data,
            account_id=ledger.checking.pk,
            fmt="csv",
            mapping=samples.GERMAN_MAPPING,
        ),
    )
    assert error["loc"] == ["body", "file", "line 1"]
    assert "not valid utf-8" in error["msg"] and "mapping.encoding" in error["msg"]


def test_a_mapping_naming_a_missing_column(ledger: Ledger) -> None:
    error = _rejected(
        ledger,
        upload(
            ledger.owner,
            samples.CARD_CSV.encode(),
            account_id=ledger.checking.pk,
            fmt="csv",
            mapping={**samples.CARD_MAPPING, "date": "Datum"},
        ),
    )
    assert error["loc"] == ["body", "mapping", "date"]
    assert "'Datum' is not in the file's header" in error["msg"]
    assert "'Posted Date'" in error["msg"]


@pytest.mark.parametrize(
    ("mapping", "loc"),
    [
        ("{not json", ["body", "mapping"]),
        ('{"sign": "sideways"}', ["body", "mapping", "sign"]),
        ('{"surprise": 1}', ["body", "mapping", "surprise"]),
        ('{"encoding": "klingon"}', ["body", "mapping", "encoding"]),
    ],
)
def test_a_malformed_mapping(ledger: Ledger, mapping: str, loc: list[str]) -> None:
    response = upload(
        ledger.owner,
        samples.CARD_CSV.encode(),
        account_id=ledger.checking.pk,
        fmt="csv",
        mapping=mapping,
    )
    assert _rejected(ledger, response)["loc"] == loc


def test_a_short_row_names_the_missing_column(ledger: Ledger) -> None:
    data = b"date,amount,payee\n2026-01-02,1.00,A\n2026-01-03\n"
    error = _rejected(ledger, upload(ledger.owner, data, account_id=ledger.checking.pk, fmt="csv"))
    assert error["loc"] == ["body", "file", "line 3"]
    assert "column 'amount'" in error["msg"]


def test_unknown_format(ledger: Ledger) -> None:
    response = upload(ledger.owner, b"x", account_id=ledger.checking.pk, fmt="xls")
    assert _rejected(ledger, response)["loc"][-1] == "format"


def test_malformed_ofx(ledger: Ledger) -> None:
    response = upload(
        ledger.owner, b"this is not OFX at all", account_id=ledger.checking.pk, fmt="ofx"
    )
    error = _rejected(ledger, response)
    assert error["loc"] == ["body", "file", "OFX"]


def test_ofx_with_a_bad_amount_names_the_element(ledger: Ledger) -> None:
    data = samples.ofx_statement().replace(b"<TRNAMT>-9.99</TRNAMT>", b"<TRNAMT>nine</TRNAMT>")
    error = _rejected(ledger, upload(ledger.owner, data, account_id=ledger.checking.pk, fmt="ofx"))
    assert error["loc"] == ["body", "file", "STMTTRN 4/TRNAMT"]


def test_ofx_in_another_currency_than_the_account(ledger: Ledger) -> None:
    data = samples.ofx_statement(currency="EUR")
    error = _rejected(ledger, upload(ledger.owner, data, account_id=ledger.checking.pk, fmt="ofx"))
    assert error["loc"] == ["body", "file", "CURDEF"]
    assert "EUR" in error["msg"] and "USD" in error["msg"]


def test_camt_xml_bomb_is_refused_without_expansion(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, currency="EUR")
    error = _rejected(
        ledger, upload(ledger.owner, samples.XML_BOMB, account_id=eur.pk, fmt="camt053")
    )
    assert error["loc"] == ["body", "file", "DOCTYPE"]
    assert error["type"] == "xml_unsafe"


def test_camt_external_entity_is_refused(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, currency="EUR")
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Document><BkToCstmrStmt><Stmt><Ntry>&x;</Ntry></Stmt></BkToCstmrStmt></Document>"
    )
    error = _rejected(ledger, upload(ledger.owner, xxe, account_id=eur.pk, fmt="camt053"))
    assert error["type"] == "xml_unsafe"


def test_truncated_camt_names_the_line(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, currency="EUR")
    data = samples.camt053()[:700]
    error = _rejected(ledger, upload(ledger.owner, data, account_id=eur.pk, fmt="camt053"))
    assert error["loc"][:2] == ["body", "file"] and error["loc"][2].startswith("line ")
    assert "not well-formed XML" in error["msg"]


def test_camt_entry_without_credit_debit_indicator(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, currency="EUR")
    data = samples.camt053().replace(b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>X</CdtDbtInd>", 1)
    error = _rejected(ledger, upload(ledger.owner, data, account_id=eur.pk, fmt="camt053"))
    assert error["loc"] == ["body", "file", "Stmt/Ntry[2]/CdtDbtInd"]


def test_a_file_that_is_not_camt(ledger: Ledger) -> None:
    eur = factories.make_account(ledger.world.org, currency="EUR")
    response = upload(ledger.owner, b"<html><body/></html>", account_id=eur.pk, fmt="camt053")
    assert "not a CAMT.053 document" in _rejected(ledger, response)["msg"]


@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_over_the_size_limit(ledger: Ledger) -> None:
    response = upload(
        ledger.owner,
        b"date,amount\n" + b"2026-01-02,1.00\n" * 20,
        account_id=ledger.checking.pk,
        fmt="csv",
    )
    error = _rejected(ledger, response, status=413)
    assert "over the import limit of 100 bytes" in error["msg"]


def test_an_account_of_another_tenant(ledger: Ledger) -> None:
    foreign = factories.make_account(ledger.world.outsider_personal)
    response = upload(
        ledger.owner,
        samples.CARD_CSV.encode(),
        account_id=foreign.pk,
        fmt="csv",
        mapping=samples.CARD_MAPPING,
    )
    assert _rejected(ledger, response)["loc"] == ["body", "account_id"]


def test_a_mapping_on_a_non_csv_format(ledger: Ledger) -> None:
    response = upload(
        ledger.owner,
        samples.ofx_statement(),
        account_id=ledger.checking.pk,
        fmt="ofx",
        mapping={"date": "x"},
    )
    assert _rejected(ledger, response)["loc"] == ["body", "mapping"]
