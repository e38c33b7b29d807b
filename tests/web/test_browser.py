"""The web app in a real (headless) Chromium against a live server: log in, read the
dashboard, fall back to the account list when the flag goes off. Skipped without Chromium."""

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


def test_log_in_see_the_dashboard_then_the_account_list_when_the_flag_goes_off(
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

    flag_update(key="dashboard", deny=[tenant.public_id], actor="test")
    browser.evaluate('document.getElementById("refresh-button").click(); true')
    browser.wait_for(
        f'{IDLE} && document.getElementById("tenant-panel").dataset.dashboardEnabled === "false"'
        ' && document.querySelectorAll("#accounts-list-table tbody tr").length === 1'
    )
    assert browser.evaluate('document.getElementById("dashboard") === null') is True
    assert _text(browser, "#accounts-list-table tbody th") == "Main Checking"
    assert "not available" in _text(browser, "#dashboard-disabled-note")
    assert browser.problems() == []
