"""The invitations page: served like the other pages and wired to the invitation API."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

WEB = Path(__file__).resolve().parents[2] / "findash" / "web"


def _read(relative: str) -> str:
    return (WEB / relative).read_text(encoding="utf-8")


def test_the_page_is_html_with_a_strict_policy_and_the_script() -> None:
    response = Client().get("/app/invitations/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert 'src="/static/web/invitations.js"' in html
    assert 'data-login-url="/app/login/"' in html
    assert "not a member" in html


def test_the_page_only_reads() -> None:
    assert Client().post("/app/invitations/").status_code == 405


def test_the_script_lists_accepts_and_declines_through_the_api() -> None:
    script = _read("static/web/invitations.js")
    assert '"/invitations?limit=500"' in script
    assert '"/accept"' not in script  # built from the action name, for both buttons
    assert '"/invitations/" + encodeURIComponent(invitation.id) + "/" + action' in script
    template = _read("templates/web/invitations.html")
    for element_id in re.findall(r'getElementById\("([^"]+)"\)', script):
        assert f'id="{element_id}"' in template, element_id
    for action in ("accept", "decline"):
        assert f'data-action="{action}"' in template
    # Inviters choose the organization's name: it is set as text, never as HTML.
    assert "innerHTML" not in script and "textContent" in script


def test_the_dashboard_links_to_the_invitations_page() -> None:
    html = Client().get("/app/").content.decode()
    assert 'href="/app/invitations/"' in html


def test_logging_out_in_the_browser_ends_the_session_on_the_server() -> None:
    script = _read("static/web/api.js")
    assert '"/auth/logout"' in script
    assert "refresh_token: session.refresh_token" in script
