"""Real-shaped bank files for the import tests, written here (OFX by ofxtools' own models)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

from ofxtools.header import make_header
from ofxtools.models import (
    BANKACCTFROM,
    BANKMSGSRSV1,
    BANKTRANLIST,
    LEDGERBAL,
    OFX,
    SIGNONMSGSRSV1,
    SONRS,
    STATUS,
    STMTRS,
    STMTTRN,
    STMTTRNRS,
)
from ofxtools.utils import UTC

OFX_LINES = [
    # fitid, posted, amount, name, memo
    ("202601050001", datetime(2026, 1, 5, 12, tzinfo=UTC), "-42.17", "WHOLE FOODS #123", "POS"),
    ("202601060002", datetime(2026, 1, 6, 0, tzinfo=UTC), "2500.00", "ACME PAYROLL", "SALARY"),
    ("202601060003", datetime(2026, 1, 6, 9, tzinfo=UTC), "-42.17", "WHOLE FOODS #123", "POS"),
    ("202601090004", datetime(2026, 1, 9, 18, tzinfo=UTC), "-9.99", "NETFLIX.COM", ""),
]


def ofx_statement(*, version: int = 220, currency: str = "USD", lines=OFX_LINES) -> bytes:
    """An OFX bank statement as a bank would send it, built with ofxtools' models."""
    transactions = [
        STMTTRN(
            trntype="DEBIT" if Decimal(amount) < 0 else "CREDIT",
            dtposted=posted,
            trnamt=Decimal(amount),
            fitid=fitid,
            name=name,
            memo=memo or None,
        )
        for fitid, posted, amount, name, memo in lines
    ]
    status = STATUS(code=0, severity="INFO")
    statement = STMTRS(
        curdef=currency,
        bankacctfrom=BANKACCTFROM(bankid="121000358", acctid="0123456789", accttype="CHECKING"),
        ledgerbal=LEDGERBAL(balamt=Decimal("2405.67"), dtasof=datetime(2026, 1, 31, tzinfo=UTC)),
        banktranlist=BANKTRANLIST(
            *transactions,
            dtstart=datetime(2026, 1, 1, tzinfo=UTC),
            dtend=datetime(2026, 1, 31, tzinfo=UTC),
        ),
    )
    ofx = OFX(
        signonmsgsrsv1=SIGNONMSGSRSV1(
            sonrs=SONRS(status=status, dtserver=datetime(2026, 2, 1, tzinfo=UTC), language="ENG")
        ),
        bankmsgsrsv1=BANKMSGSRSV1(STMTTRNRS(trnuid="1001", status=status, stmtrs=statement)),
    )
    body = ET.tostring(ofx.to_etree()).decode()
    return (str(make_header(version=version)) + body).encode()


GERMAN_CSV = (
    "Buchungstag;Wertstellung;Empfänger;Verwendungszweck;Betrag (EUR)\r\n"
    "02.01.2026;02.01.2026;REWE Markt GmbH;Einkauf Lebensmittel;-1.234,56\r\n"
    "03.01.2026;03.01.2026;Arbeitgeber AG;Gehalt Januar;3.100,00\r\n"
    '04.01.2026;04.01.2026;Stadtwerke;"Abschlag; Strom";-85,00\r\n'
)
GERMAN_MAPPING = {
    "date": "Buchungstag",
    "amount": "Betrag (EUR)",
    "payee": "Empfänger",
    "description": "Verwendungszweck",
    "date_format": "%d.%m.%Y",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "delimiter": ";",
}

CARD_CSV = (
    "Posted Date,Payee,Amount,Reference\n"
    "01/10/2026,AMAZON MKTPLACE,19.99,REF-1\n"
    "01/11/2026,PAYMENT THANK YOU,-500.00,REF-2\n"
)
CARD_MAPPING = {
    "date": "Posted Date",
    "amount": "Amount",
    "payee": "Payee",
    "bank_id": "Reference",
    "date_format": "%m/%d/%Y",
    "sign": "outflow_positive",
}


def camt053(entries: list[dict[str, str]] | None = None, currency: str = "EUR") -> bytes:
    """A CAMT.053.001.08 statement with booked and pending entries."""
    entries = entries or [
        {
            "ref": "NTRY-0001",
            "amount": "1250.00",
            "ind": "CRDT",
            "date": "2026-03-01",
            "party": "Kunde GmbH",
            "text": "Rechnung 2026-17",
        },
        {
            "ref": "NTRY-0002",
            "amount": "89.90",
            "ind": "DBIT",
            "date": "2026-03-02",
            "party": "Telekom Deutschland",
            "text": "Mobilfunk Maerz",
        },
        {
            "ref": "NTRY-0003",
            "amount": "15.00",
            "ind": "DBIT",
            "date": "2026-03-03",
            "party": "Cafe",
            "text": "pending",
            "status": "PDNG",
        },
    ]
    ntry = []
    for e in entries:
        party = "Cdtr" if e["ind"] == "DBIT" else "Dbtr"
        ntry.append(f"""
      <Ntry>
        <NtryRef>{e["ref"]}</NtryRef>
        <Amt Ccy="{currency}">{e["amount"]}</Amt>
        <CdtDbtInd>{e["ind"]}</CdtDbtInd>
        <Sts><Cd>{e.get("status", "BOOK")}</Cd></Sts>
        <BookgDt><Dt>{e["date"]}</Dt></BookgDt>
        <ValDt><Dt>{e["date"]}</Dt></ValDt>
        <AcctSvcrRef>SVC-{e["ref"]}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <RltdPties><{party}><Pty><Nm>{e["party"]}</Nm></Pty></{party}></RltdPties>
          <RmtInf><Ustrd>{e["text"]}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-2026-03</MsgId><CreDtTm>2026-03-31T23:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>2026-03</Id>
      <CreDtTm>2026-03-31T23:00:00</CreDtTm>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>{currency}</Ccy></Acct>
      {"".join(ntry)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<Stmt><Ntry><AddtlNtryInf>&lol4;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>
"""
