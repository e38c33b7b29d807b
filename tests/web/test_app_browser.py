"""The web app in headless Chromium against a live server: charts, live updates, the phone
layout, the pages to work with the data, a viewer's read-only view, offline API docs and an
axe-core accessibility check. Screenshots go to reports/screenshots/ (a test artifact).

Without Chromium these skip; under CI=true a missing Chromium (or axe-core) is a failure.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from tests.web.browser import CHROMIUM, Browser

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "reports" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"  # tests.factories.make_user's
DASHBOARD_READY = (
    'document.getElementById("panel").getAttribute("aria-busy") === "false"'
    ' && document.getElementById("net-worth-table") !== null'
    ' && document.querySelectorAll("#net-worth-table tbody tr").length === 12'
)
RECORDS_READY = 'document.getElementById("content").getAttribute("aria-busy") === "false"'


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    if CHROMIUM is None:
        _missing("Chromium (apt-get install chromium)")
    chromium = Browser(tmp_path / "profile", network=True)
    try:
        yield chromium
    finally:
        chromium.close()


def _api(
    server: Any, user: Any, method: str, path: str, body: Any = None, tenant: Any = None
) -> Any:
    request = urllib.request.Request(
        server.url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": factories.bearer(user),
            "Content-Type": "application/json",
            **({"X-Tenant-ID": tenant.public_id} if tenant is not None else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


def _sign_in(browser: Browser, server: Any, username: str, next_path: str = "/app/") -> None:
    browser.goto(f"{server.url}/app/login/?next={next_path}")
    browser.wait_for('!document.getElementById("login-submit").disabled')
    browser.evaluate(
        f'document.getElementById("login-username").value = "{username}";'
        f'document.getElementById("login-password").value = "{PASSWORD}";'
        'document.getElementById("login-form").requestSubmit(); true'
    )


def _plain(text: str) -> str:
    """The page's money text back as the API's decimal string: $1,234.50 -> 1234.50."""
    return text.replace("$", "").replace(",", "").replace("\u2212", "-")


def _serious_axe_violations(
    browser: Browser, *, allowed: frozenset[str] = frozenset()
) -> list[str]:
    if not AXE.exists():
        _missing("axe-core (npm ci)")
    browser.evaluate(AXE.read_text(encoding="utf-8") + "; true")
    found = browser.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations"
        f".filter((v) => !{json.dumps(sorted(allowed))}.includes(v.id))"
        ".filter((v) => v.impact === 'serious' || v.impact === 'critical')"
        ".map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))"
    )
    return list(found)


def _seed_owner() -> tuple[Any, Any, Any]:
    user = factories.make_user("chart-owner")
    tenant = factories.personal_tenant(user)
    checking = factories.make_account(
        tenant, name="Main Checking", opening_balance=Decimal("500.00")
    )
    card = factories.make_account(tenant, name="Card", type="credit_card")
    salary = factories.make_category(tenant, name="Salary", kind="income")
    food = factories.make_category(tenant, name="Food")
    today = timezone.localdate()
    month_start = today.replace(day=1)
    factories.make_transaction(
        tenant, checking, amount=Decimal("2500.10"), category=salary, date=month_start
    )
    factories.make_transaction(
        tenant, card, amount=Decimal("-120.35"), category=food, payee="Grocer", date=month_start
    )
    last_month = date(
        month_start.year - (month_start.month == 1), (month_start.month - 2) % 12 + 1, 15
    )
    factories.make_transaction(
        tenant, checking, amount=Decimal("1000.00"), category=salary, date=last_month
    )
    factories.make_budget(
        tenant, food, amount=Decimal("200.00"), start_date=last_month.replace(day=1)
    )
    return user, tenant, checking


def test_dashboard_charts_live_update_phone_layout_and_accessibility(
    browser: Browser, live_server: Any
) -> None:
    user, _, checking = _seed_owner()
    _sign_in(browser, live_server, "chart-owner")
    browser.wait_for(f'location.pathname === "/app/" && {DASHBOARD_READY}')

    # Every figure on screen is the API's.
    status, summary = _api(live_server, user, "GET", "/financial/dashboard/summary")
    assert status == 200
    for field in ("net_worth", "total_assets", "total_liabilities", "income", "expenses"):
        shown = browser.evaluate(f'document.querySelector("[data-summary={field}]").textContent')
        assert _plain(shown) == summary[field], field
    status, series = _api(live_server, user, "GET", "/financial/net-worth?months=12")
    shown_points = browser.evaluate(
        'Array.from(document.querySelectorAll("#net-worth-table tbody tr td:last-child"))'
        ".map((td) => td.textContent)"
    )
    assert [_plain(t) for t in shown_points] == [p["net_worth"] for p in series["points"]]

    # Four charts, each drawn by Chart.js, named, described, with its numbers as a table.
    charts = browser.evaluate(
        """Array.from(document.querySelectorAll("figure.chart")).map((figure) => {
          const canvas = figure.querySelector("canvas");
          const name = document.getElementById(canvas.getAttribute("aria-labelledby"));
          const table = figure.querySelector("table") ||
            document.querySelector(figure.querySelector("a[href^='#']").getAttribute("href"));
          return {id: canvas.id, role: canvas.getAttribute("role"), name: name.textContent.trim(),
                  drawn: Chart.getChart(canvas) !== undefined && canvas.width > 0,
                  points: Chart.getChart(canvas).data.labels.length,
                  tableRows: table.tBodies[0].rows.length};
        })"""
    )
    assert [c["id"] for c in charts] == [
        "net-worth-chart", "income-expenses-chart", "spending-chart", "budget-use-chart"
    ]  # fmt: skip
    for chart in charts:
        assert chart["role"] == "img" and chart["name"] and chart["drawn"], chart
        assert chart["points"] >= 1 and chart["tableRows"] >= 1, chart
    assert "Net worth" in charts[0]["name"] and "Spending by category" in charts[2]["name"]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.screenshot(SCREENSHOTS / "dashboard-desktop.png")
    assert _serious_axe_violations(browser) == []

    # A transaction written through the API shows in the open page within 2 s, no reload.
    before = browser.evaluate('document.querySelector("[data-summary=net_worth]").textContent')
    browser.evaluate("window.__sameDocument = true; true")
    status, _ = _api(
        live_server, user, "POST", "/transactions",
        {"account_id": checking.id, "date": timezone.localdate().isoformat(), "amount": "-33.33",
         "payee": "Live cafe"},
    )  # fmt: skip
    assert status == 201
    written = time.monotonic()
    _, summary = _api(live_server, user, "GET", "/financial/dashboard/summary")
    expected = summary["net_worth"]
    browser.wait_for(
        f'document.querySelector("[data-summary=net_worth]").textContent !== {json.dumps(before)}'
    )
    assert time.monotonic() - written < 2.0
    shown = browser.evaluate('document.querySelector("[data-summary=net_worth]").textContent')
    assert _plain(shown) == expected
    assert browser.evaluate("window.__sameDocument") is True  # updated in place, not reloaded

    # A period of fewer than 7 days says so and offers last month in one click.
    browser.goto(f"{live_server.url}/app/?start=2026-01-01&end=2026-01-03")
    browser.wait_for(DASHBOARD_READY)
    assert browser.evaluate('document.getElementById("short-period").hidden') is False
    assert "3 days" in browser.evaluate('document.getElementById("short-period").textContent')
    browser.evaluate('document.getElementById("show-last-month").click(); true')
    browser.wait_for(f'location.search.endsWith("&period=last_month") && {DASHBOARD_READY}')
    assert browser.evaluate('document.getElementById("short-period").hidden') is True
    assert browser.evaluate('document.getElementById("period-select").value') == "last_month"

    # The phone: nothing scrolls sideways, totals come first, every control is 40 px or more.
    browser.viewport(375, 800, mobile=True)
    browser.goto(f"{live_server.url}/app/")
    browser.wait_for(DASHBOARD_READY)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser.evaluate(
        'document.querySelector("[data-summary=net_worth]").getBoundingClientRect().top <'
        ' document.getElementById("charts-section").getBoundingClientRect().top'
    )
    small = browser.evaluate(
        """Array.from(document.querySelectorAll("button, select, input, .app-nav a, summary"))
          .filter((e) => { const r = e.getBoundingClientRect();
                           return r.width > 0 && (r.height < 40 || r.width < 40); })
          .map((e) => e.outerHTML.slice(0, 80))"""
    )
    assert small == []
    browser.screenshot(SCREENSHOTS / "dashboard-phone.png")
    assert browser.problems() == []


def test_transactions_page_adds_filters_edits_categorizes_and_deletes(
    browser: Browser, live_server: Any
) -> None:
    user, tenant, checking = _seed_owner()
    _sign_in(browser, live_server, "chart-owner", "/app/transactions/")
    browser.wait_for(
        f'location.pathname === "/app/transactions/" && {RECORDS_READY}'
        ' && document.querySelectorAll("#records-table tbody tr[data-id]").length === 3'
    )

    browser.evaluate('document.getElementById("add-button").click(); true')
    browser.evaluate(
        f'document.getElementById("record-account_id").value = "{checking.id}";'
        'document.getElementById("record-amount").value = "-12.34";'
        'document.getElementById("record-payee").value = "Bakery";'
        'document.getElementById("record-form").requestSubmit(); true'
    )
    browser.wait_for(
        'document.getElementById("status").textContent === "Added."'
        ' && document.querySelectorAll("#records-table tbody tr[data-id]").length === 4'
    )
    _, page = _api(live_server, user, "GET", "/transactions?q=Bakery")
    assert page["count"] == 1 and page["items"][0]["amount"] == "-12.34"
    bakery = page["items"][0]["id"]

    # Filter by text and by the size of the amount; the filter is in the URL (bookmarkable).
    browser.evaluate(
        'document.getElementById("filter-q").value = "bak";'
        'document.getElementById("filter-min_amount").value = "12";'
        'document.getElementById("filters").requestSubmit(); true'
    )
    browser.wait_for('document.querySelectorAll("#records-table tbody tr[data-id]").length === 1')
    assert "q=bak" in browser.evaluate("location.search")
    assert (
        browser.evaluate('document.querySelector("#records-table tbody th").textContent')
        == "Bakery"
    )

    # Categorize in place, then edit, then delete (a second click confirms).
    food = factories.make_category(tenant, name="Bread")
    browser.goto(f"{live_server.url}/app/transactions/?q=bak")
    browser.wait_for(f'{RECORDS_READY} && document.querySelector("[data-categorize]") !== null')
    browser.evaluate(
        f'const s = document.querySelector("[data-categorize=\\"{bakery}\\"]");'
        f's.value = "{food.id}"; s.dispatchEvent(new Event("change")); true'
    )
    browser.wait_for('document.getElementById("status").textContent === "Category saved."')
    assert _api(live_server, user, "GET", f"/transactions/{bakery}")[1]["category_id"] == food.id
    browser.evaluate(f'document.querySelector("[data-edit=\\"{bakery}\\"]").click(); true')
    browser.evaluate(
        'document.getElementById("record-amount").value = "-15.00";'
        'document.getElementById("record-form").requestSubmit(); true'
    )
    browser.wait_for('document.getElementById("status").textContent === "Saved."')
    assert _api(live_server, user, "GET", f"/transactions/{bakery}")[1]["amount"] == "-15.00"
    browser.evaluate(
        f'const d = document.querySelector("[data-delete=\\"{bakery}\\"]");'
        "d.click(); d.click(); true"
    )
    browser.wait_for('document.getElementById("status").textContent.startsWith("Deleted")')
    assert _api(live_server, user, "GET", f"/transactions/{bakery}")[0] == 404
    assert _serious_axe_violations(browser) == []
    assert browser.problems() == []


def test_a_viewer_sees_no_edit_controls_and_the_api_still_refuses(
    browser: Browser, live_server: Any
) -> None:
    owner = factories.make_user("org-owner")
    viewer = factories.make_user("org-viewer")
    org = factories.make_org(owner, "Viewer Org")
    factories.add_member(org, viewer, "viewer")
    account = factories.make_account(org, name="Org Checking")
    food = factories.make_category(org, name="Food")
    factories.make_transaction(org, account, amount=Decimal("-5.00"), category=food)
    factories.make_budget(org, food)

    _sign_in(browser, live_server, "org-viewer", f"/app/transactions/?tenant={org.public_id}")
    browser.wait_for(f'location.pathname === "/app/transactions/" && {RECORDS_READY}')
    for page in ("transactions", "accounts", "categories", "budgets"):
        browser.goto(f"{live_server.url}/app/{page}/?tenant={org.public_id}")
        browser.wait_for(
            f"{RECORDS_READY} && "
            "document.querySelectorAll('#records-table tbody tr[data-id]').length >= 1"
        )
        controls = browser.evaluate(
            "[!document.getElementById('add-button').hidden,"
            " document.querySelectorAll('[data-edit], [data-delete], [data-categorize]').length,"
            " document.getElementById('role-caption').textContent]"
        )
        assert controls[:2] == [False, 0], page
        assert "read only" in controls[2]
    status, _ = _api(
        live_server, viewer, "POST", "/categories", {"name": "Sneaky", "kind": "expense"}, org
    )
    assert status == 403
    assert browser.problems() == []


def test_api_docs_render_from_the_servers_own_files(browser: Browser, live_server: Any) -> None:
    for path in ("/docs", "/api/docs"):
        browser.events.clear()
        browser.goto(f"{live_server.url}{path}")
        browser.wait_for('document.querySelectorAll(".opblock").length > 20')
        urls = browser.requested_urls()
        assert urls, "no request seen"
        foreign = [
            u for u in urls if not u.startswith(live_server.url) and not u.startswith("data:")
        ]
        assert foreign == []
    # Swagger UI's own markup puts a copy button inside each operation's summary button
    # ("nested-interactive"); its colours are fixed by static/web/docs.css.
    assert _serious_axe_violations(browser, allowed=frozenset({"nested-interactive"})) == []
    assert browser.problems() == []  # a CSP refusal would be a console error


def test_categories_and_budgets_pages_add_edit_and_show_status_and_lists_paginate(
    browser: Browser, live_server: Any
) -> None:
    user, tenant, checking = _seed_owner()
    for _ in range(55):  # 3 seeded + 55 = 58 transactions: two pages of 50
        factories.make_transaction(tenant, checking, amount=Decimal("-1.00"), date=date(2025, 1, 1))
    _sign_in(browser, live_server, "chart-owner", "/app/categories/")
    browser.wait_for(f'location.pathname === "/app/categories/" && {RECORDS_READY}')

    browser.evaluate('document.getElementById("add-button").click(); true')
    browser.evaluate(
        'document.getElementById("record-name").value = "Books";'
        'document.getElementById("record-kind").value = "expense";'
        'document.getElementById("record-form").requestSubmit(); true'
    )
    browser.wait_for('document.getElementById("status").textContent === "Added."')
    _, categories = _api(live_server, user, "GET", "/categories?limit=500")
    books = next(c for c in categories["items"] if c["name"] == "Books")

    # A bad amount is refused by the API; the form says which field and nothing is written.
    browser.goto(f"{live_server.url}/app/budgets/")
    browser.wait_for(f"{RECORDS_READY} && document.getElementById('add-button').hidden === false")
    browser.evaluate('document.getElementById("add-button").click(); true')
    browser.evaluate(
        f'document.getElementById("record-category_id").value = "{books["id"]}";'
        'document.getElementById("record-amount").value = "12.345";'
        'document.getElementById("record-form").requestSubmit(); true'
    )
    browser.wait_for('document.getElementById("form-error").hidden === false')
    assert "amount" in browser.evaluate('document.getElementById("form-error").textContent')
    assert (
        browser.evaluate('document.getElementById("record-amount").getAttribute("aria-invalid")')
        == "true"
    )
    assert _api(live_server, user, "GET", "/budgets")[1]["count"] == 1
    browser.evaluate(
        'document.getElementById("record-amount").value = "40.00";'
        'document.getElementById("record-form").requestSubmit(); true'
    )
    browser.wait_for('document.getElementById("status").textContent === "Added."')
    _, budgets = _api(live_server, user, "GET", "/budgets")
    assert sorted(b["amount"] for b in budgets["items"]) == ["200.00", "40.00"]

    # This month's status: the Food budget (200.00) has 120.35 spent, 60.18 % used.
    browser.wait_for(f"{RECORDS_READY}")
    food_row = browser.evaluate(
        "Array.from(document.querySelectorAll('#records-table tbody tr'))"
        ".find((tr) => tr.querySelector('th').textContent === 'Food').textContent"
    )
    assert "$120.35" in food_row and "60.18%" in food_row and "OK" in food_row

    # 58 transactions: 50 on the first page, 8 on the next.
    browser.goto(f"{live_server.url}/app/transactions/")
    browser.wait_for(f'{RECORDS_READY} && document.getElementById("pager").hidden === false')
    assert browser.evaluate("document.querySelectorAll('#records-table tbody tr').length") == 50
    assert (
        browser.evaluate('document.getElementById("page-caption").textContent') == "1\u201350 of 58"
    )
    browser.evaluate('document.getElementById("next-page").click(); true')
    browser.wait_for("document.querySelectorAll('#records-table tbody tr').length === 8")
    assert browser.evaluate("location.search").endswith("offset=50")
    assert browser.problems() == []
