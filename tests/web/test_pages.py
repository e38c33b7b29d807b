"""The web pages under /app/: served, accessible, wired to what the scripts expect."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from findash.dashboard.periods import PERIOD_NAMES


@pytest.fixture
def browser() -> Client:
    return Client()


def _labels_for(html: str) -> set[str]:
    return set(re.findall(r'<label for="([^"]+)"', html))


def test_the_dashboard_page_is_html_with_the_controls_the_script_uses(browser: Client) -> None:
    response = browser.get("/app/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for hook in (
        'id="tenant-select"',
        'id="period-select"',
        'id="period-start"',
        'id="period-end"',
        'id="custom-range"',
        'id="panel"',
        'id="message"',
        'id="controls"',
        'id="refresh-button"',
        'id="logout-button"',
        'data-panel-url="/app/panel/"',
        'data-login-url="/app/login/"',
    ):
        assert hook in html, hook
    for script in ("money.js", "api.js", "dashboard.js"):
        assert f'src="/static/web/{script}"' in html
    assert 'href="/static/web/app.css"' in html


def test_the_period_selector_offers_every_api_period_and_a_custom_range(browser: Client) -> None:
    html = browser.get("/app/").content.decode()
    select = html.split('id="period-select"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]+)"', select)
    assert values == [*PERIOD_NAMES, "custom"]


def test_every_form_control_has_a_label(browser: Client) -> None:
    for path in ("/app/", "/app/login/"):
        html = browser.get(path).content.decode()
        controls = set(re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html))
        assert controls, path
        assert controls <= _labels_for(html), path


def test_the_login_page_has_a_labelled_form_and_its_script(browser: Client) -> None:
    response = browser.get("/app/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="login-form"' in html
    assert 'autocomplete="username"' in html
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert 'id="login-error"' in html and 'role="alert"' in html
    assert 'src="/static/web/login.js"' in html
    assert 'data-dashboard-url="/app/"' in html
    # Nothing can be posted before login.js listens (it enables the button).
    assert '<button id="login-submit" type="submit" disabled>' in html


def test_the_login_page_prefetches_every_script_the_dashboard_page_loads(browser: Client) -> None:
    """After signing in, the dashboard page's scripts come from the browser's cache."""
    dashboard = browser.get("/app/").content.decode()
    login = browser.get("/app/login/").content.decode()
    loaded = re.findall(r'<script src="(/static/web/[^"]+)" defer>', dashboard)
    prefetched = re.findall(r'<link rel="prefetch" href="([^"]+)" as="script">', login)
    assert "/static/web/dashboard.js" in loaded
    assert set(loaded) - {"/static/web/money.js", "/static/web/api.js"} == set(prefetched)


def test_pages_allow_only_their_own_scripts_and_are_not_cached(browser: Client) -> None:
    for path in ("/app/", "/app/login/"):
        response = browser.get(path)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert response["Cache-Control"] == "no-store"
        assert "<script>" not in response.content.decode()  # no inline script under that CSP


def test_pages_answer_only_get_and_head(browser: Client) -> None:
    for path in ("/app/", "/app/login/"):
        assert browser.head(path).status_code == 200
        assert browser.post(path).status_code == 405
        assert browser.delete(path).status_code == 405


def test_app_without_slash_redirects_to_the_app(browser: Client) -> None:
    response = browser.get("/app")
    assert response.status_code == 301
    assert response["Location"] == "/app/"


@pytest.mark.django_db
def test_the_api_docs_health_and_admin_still_answer(browser: Client) -> None:
    assert browser.get("/health").json()["status"] == "healthy"
    assert browser.get("/docs").status_code == 200
    admin = browser.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
    paths = browser.get("/openapi.json").json()["paths"]
    assert "/financial/dashboard" in paths
    assert not [path for path in paths if path.startswith("/app")]


def test_the_root_redirects_to_the_app_and_there_is_a_favicon(browser: Client) -> None:
    response = browser.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    html = browser.get("/app/").content.decode()
    assert 'rel="icon" href="/static/web/favicon.svg"' in html


@pytest.mark.parametrize("section", ["transactions", "accounts", "categories", "budgets"])
def test_each_data_page_is_served_under_the_strict_csp_with_the_section_menu(
    browser: Client, section: str
) -> None:
    response = browser.get(f"/app/{section}/")
    assert response.status_code == 200
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert f'data-resource="{section}"' in html
    assert f'<a href="/app/{section}/" data-nav="{section}" aria-current="page">' in html
    for other in ("transactions", "accounts", "categories", "budgets"):
        assert f'href="/app/{other}/"' in html


@pytest.mark.parametrize("path", ["/docs", "/api/docs"])
def test_the_api_docs_load_only_own_files_under_the_strict_csp(browser: Client, path: str) -> None:
    response = browser.get(path, follow=True)
    assert response.status_code == 200
    assert "script-src 'self';" in response["Content-Security-Policy"]
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "swagger-ui-bundle.js" in html
