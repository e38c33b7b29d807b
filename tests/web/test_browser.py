"""The web app in a real (headless) Chromium against a live server: log in, read the
dashboard, renew the token, switch workspace, and fall back to the account list where
the flag is off. Skipped without Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from findash.flags.services import flag_update
from tests import factories
from tests.web.browser import CHROMIUM, Browser

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery"  # tests.factories.make_user's
IDLE = 'document.getElementById("panel").getAttribute("aria-busy") === "false"'


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = Browser(tmp_path / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


def _text(browser: Browser, selector: str) -> Any:
    return browser.evaluate(f"document.querySelector({selector!r}).textContent.trim()")


def test_log_in_read_the_dashboard_renew_the_token_and_switch_to_a_flagged_off_org(
    browser: Browser, live_server: Any
) -> None:
    user = factories.make_user("browser-user")
    tenant = factories.personal_tenant(user)
    checking = factories.make_account(
        tenant, name="Main Checking", opening_balance=Decimal("1000.00")
    )
    salary = factories.make_category(tenant, name="Salary", kind="income")
    factories.make_transaction(
        tenant,
        checking,
        amount=Decimal("1234567.89"),
        category=salary,
        date=timezone.localdate().replace(day=1),
    )

    browser.goto(f"{live_server.url}/app/")
    browser.wait_for(
        'location.pathname === "/app/login/" && !document.getElementById("login-submit").disabled'
    )
    browser.evaluate(
        'document.getElementById("login-username").value = "browser-user";'
        f'document.getElementById("login-password").value = "{PASSWORD}";'
        'document.getElementById("login-form").requestSubmit(); true'
    )
    browser.wait_for(
        f'location.pathname === "/app/" && {IDLE} && '
        'document.getElementById("accounts-total") !== null && '
        'document.getElementById("accounts-total").textContent !== ""'
    )
    # The API's strings, grouped and with the currency sign by the page (money.js).
    assert _text(browser, '[data-summary="net_worth"]') == "$1,235,567.89"
    assert _text(browser, '[data-summary="income"]') == "$1,234,567.89"
    assert _text(browser, '[data-summary="savings_rate"]') == "100.00%"
    assert _text(browser, "#accounts-table tbody th") == "Main Checking"
    assert _text(browser, "#by-category-table tbody th") == "Salary"
    assert browser.evaluate('document.getElementById("accounts-list-section").hidden') is True

    # A rejected access token is renewed through /auth/refresh, invisibly.
    browser.evaluate(
        'const s = JSON.parse(sessionStorage.getItem("findash.session"));'
        's.access_token = "expired"; sessionStorage.setItem("findash.session", JSON.stringify(s));'
        'document.querySelector("[data-refresh=accounts]").click(); true'
    )
    browser.wait_for(
        f"{IDLE} && "
        'JSON.parse(sessionStorage.getItem("findash.session")).access_token !== "expired"'
    )
    assert browser.evaluate('document.getElementById("message").hidden') is True
    assert _text(browser, "#accounts-table tbody th") == "Main Checking"

    # The workspace selector sends X-Tenant-ID; the flag, off for the org only, hides
    # the dashboard there and lists the org's accounts instead.
    org = factories.make_org(user, "Browser Org")
    factories.make_account(org, name="Org Account")
    flag_update(key="dashboard", deny=[org.public_id], actor="test")
    browser.goto(f"{live_server.url}/app/")  # reloads the workspace list
    browser.wait_for(
        f"{IDLE} && document.querySelector('#tenant-select option[value={org.public_id}]') !== null"
    )
    browser.evaluate(
        'const select = document.getElementById("tenant-select");'
        f'select.value = "{org.public_id}"; select.dispatchEvent(new Event("change")); true'
    )
    browser.wait_for(
        f'{IDLE} && document.getElementById("tenant-panel") !== null'
        f' && document.getElementById("tenant-panel").dataset.tenantId === "{org.public_id}"'
        ' && document.querySelectorAll("#accounts-list-table tbody tr").length === 1'
    )
    assert browser.evaluate('document.getElementById("dashboard") === null') is True
    assert _text(browser, "#accounts-list-table tbody th") == "Org Account"
    assert "not available" in _text(browser, "#dashboard-disabled-note")
    assert browser.evaluate("location.search") == f"?tenant={org.public_id}"
    assert browser.problems() == []
