"""The import page in a real (headless) Chromium against a live server: preview a CSV with
a duplicate marked, import it, and download an export. Skipped without Chromium."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from findash.ledger.models import Transaction
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.web.browser import CHROMIUM, Browser

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery"  # tests.factories.make_user's
SCREENSHOT = os.environ.get("FINDASH_SCREENSHOT")  # a path: save what the page looked like
BANK_CSV = "Datum;Betrag;Text\n02.01.2026;-1.234,56;Miete\n03.01.2026;-3,50;Kaffee\n"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = Browser(tmp_path / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


def test_preview_marks_duplicates_then_imports(browser: Browser, live_server: Any) -> None:
    user = factories.make_user("importer")
    tenant = factories.personal_tenant(user)
    account = factories.make_account(tenant, name="Giro", currency="EUR")
    factories.make_transaction(
        tenant, account, date=date(2026, 1, 3), amount=Decimal("-3.50"), description="Kaffee"
    )
    browser.goto(f"{live_server.url}/app/login/")
    browser.wait_for('!document.getElementById("login-submit").disabled')
    browser.evaluate(
        'document.getElementById("login-username").value = "importer";'
        f'document.getElementById("login-password").value = "{PASSWORD}";'
        'document.getElementById("login-form").requestSubmit(); true'
    )
    browser.wait_for('location.pathname === "/app/"')
    browser.goto(f"{live_server.url}/app/import/")
    browser.wait_for(
        f"document.querySelector('#import-account option[value=\"{account.pk}\"]') !== null"
    )
    browser.evaluate(
        "const transfer = new DataTransfer();"
        f"transfer.items.add(new File([{json.dumps(BANK_CSV)}], 'giro.csv', {{type: 'text/csv'}}));"
        'const input = document.getElementById("import-file");'
        'input.files = transfer.files; input.dispatchEvent(new Event("change"));'
        'document.getElementById("map-date").value = "Datum";'
        'document.getElementById("map-amount").value = "Betrag";'
        'document.getElementById("map-description").value = "Text";'
        'document.getElementById("map-date-format").value = "%d.%m.%Y";'
        'document.getElementById("map-decimal").value = ",";'
        'document.getElementById("map-thousands").value = ".";'
        'document.getElementById("map-delimiter").value = ";";'
        'document.getElementById("import-form").requestSubmit(); true'
    )
    browser.wait_for('document.getElementById("preview-summary") !== null')
    assert browser.evaluate('document.getElementById("import-format").value') == "csv"
    assert "1 new, 1 already imported" in browser.evaluate(
        'document.getElementById("preview-summary").textContent'
    )
    assert browser.evaluate('document.querySelectorAll("tr.row-duplicate").length') == 1
    assert "-1234.56 EUR" in browser.evaluate('document.querySelector("tr.row-new").textContent')
    with tenant_scope(tenant):
        assert Transaction.objects.count() == 1
    browser.evaluate('document.getElementById("commit-button").click(); true')
    browser.wait_for(
        'document.getElementById("preview-summary").textContent.startsWith("Imported")'
    )
    with tenant_scope(tenant):
        assert sorted(Transaction.objects.values_list("amount", flat=True)) == [
            Decimal("-1234.56"),
            Decimal("-3.50"),
        ]
    # The export links download through the API with the page's token.
    exported = browser.evaluate(
        'FindashApi.send("/exports/full.json", {raw: true})'
        ".then((answer) => answer.blob.text()).then((text) => JSON.parse(text).transactions.length)"
    )
    assert exported == 2
    if SCREENSHOT:
        shot = browser.call("Page.captureScreenshot", session=True)["data"]
        Path(SCREENSHOT).write_bytes(base64.b64decode(shot))
    assert browser.problems() == []
