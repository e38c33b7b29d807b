"""The import and export page: served like every page, with the hooks its script uses."""

from __future__ import annotations

import re

from django.test import Client

from findash.web.views import CONTENT_SECURITY_POLICY


def test_the_import_page_has_upload_preview_and_export_links() -> None:
    response = Client().get("/app/import/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    for hook in (
        'id="import-form"',
        'id="import-account"',
        'id="import-file"',
        'id="import-format"',
        'id="csv-mapping"',
        'id="preview-button"',
        'id="commit-button"',
        'id="preview"',
        'data-login-url="/app/login/"',
    ):
        assert hook in html, hook
    formats = re.findall(
        r'<option value="([^"]+)"', html.split('id="import-format"')[1].split("</select>")[0]
    )
    assert formats == ["csv", "ofx", "qfx", "camt053"]
    for path in ("transactions.csv", "full.json", "journal.ledger"):
        assert f'href="/exports/{path}"' in html
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    inputs = set(re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html))
    assert inputs <= labels


def test_the_dashboard_links_to_the_import_page() -> None:
    assert 'href="/app/import/"' in Client().get("/app/").content.decode()


def test_the_script_and_the_api_helper_it_needs_are_served() -> None:
    html = Client().get("/app/import/").content.decode()
    assert 'src="/static/web/imports.js"' in html and 'src="/static/web/api.js"' in html
