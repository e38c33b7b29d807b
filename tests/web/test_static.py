"""The web app's static files: collected, served with their types, and consistent with
the templates and the API they talk to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

WEB = Path(__file__).resolve().parents[2] / "findash" / "web"
STATIC = WEB / "static" / "web"
TEMPLATES = WEB / "templates" / "web"
DASHBOARD_ENDPOINTS = (
    "/financial/dashboard",
    "/financial/dashboard/summary",
    "/financial/dashboard/accounts",
    "/financial/dashboard/transactions",
    "/financial/dashboard/budgets",
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _templates() -> str:
    return "".join(_read(path) for path in TEMPLATES.glob("*.html"))


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("app.css", "text/css"),
        ("money.js", "text/javascript"),
        ("api.js", "text/javascript"),
        ("login.js", "text/javascript"),
        ("dashboard.js", "text/javascript"),
        ("dashboard-period.js", "text/javascript"),
        ("dashboard-view.js", "text/javascript"),
        ("dashboard-charts.js", "text/javascript"),
        ("ui.js", "text/javascript"),
        ("shell.js", "text/javascript"),
        ("charts.js", "text/javascript"),
        ("records.js", "text/javascript"),
        ("records-resources.js", "text/javascript"),
        ("vendor/chart.umd.min.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
        ("invitations.js", "text/javascript"),
    ],
)
def test_collected_static_files_are_served_by_whitenoise(
    tmp_path: Path, name: str, content_type: str
) -> None:
    # As in a deployment: collectstatic, then WhiteNoise serves STATIC_ROOT (DEBUG off).
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        response = Client().get(f"/static/web/{name}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert b"".join(response.streaming_content) == (STATIC / name).read_bytes()


def _dashboard_scripts() -> str:
    """The dashboard page's own modules: dashboard.js and its dashboard-*.js parts."""
    return "".join(_read(path) for path in sorted(STATIC.glob("dashboard*.js")))


def test_the_dashboard_script_calls_the_five_dashboard_endpoints() -> None:
    script = _dashboard_scripts()
    quoted = set(re.findall(r'"(/financial/dashboard[^"?]*)"', script))
    assert quoted == set(DASHBOARD_ENDPOINTS)
    assert '"/tenants?limit=500"' in script
    assert '"/accounts?limit=500"' in script
    assert "feature 'dashboard' is disabled" in script


def test_the_api_script_logs_in_refreshes_and_names_the_tenant() -> None:
    script = _read(STATIC / "api.js")
    for needle in (
        '"/auth/token"',
        '"/auth/refresh"',
        "sessionStorage",
        '"X-Tenant-ID"',
        '"Bearer "',
        "status === 401",
    ):
        assert needle in script, needle


def test_every_element_the_dashboard_script_looks_up_is_in_a_template() -> None:
    script = _dashboard_scripts()
    templates = _templates()
    ids = set(re.findall(r'getElementById\("([^"]+)"\)', script))
    ids |= set(re.findall(r'fillRows\(\s*"([^"]+)"', script))
    ids |= set(re.findall(r'setText\("#([\w-]+)"', script))
    assert {"tenant-select", "period-select", "accounts-table", "health-score"} <= ids
    missing = sorted(
        i for i in ids if f'id="{i}"' not in templates and f'json_script:"{i}"' not in templates
    )
    assert not missing


def test_every_figure_slot_in_the_panel_is_filled_by_the_script() -> None:
    script = _dashboard_scripts()
    panel = _read(TEMPLATES / "panel.html")
    for kind in ("summary", "transactions"):
        slots = set(re.findall(rf'data-{kind}="(\w+)"', panel))
        assert slots, kind
        for slot in slots:
            assert f'"{slot}"' in script, (kind, slot)
    refresh_buttons = set(re.findall(r'data-refresh="([\w-]+)"', panel))
    loaders = (
        _read(STATIC / "dashboard.js").split("const SECTION_LOADERS = {", 1)[1].split("};", 1)[0]
    )
    for key in refresh_buttons:
        assert re.search(rf'(^|\s|"){key}"?:', loaders, re.M), key


def test_the_login_script_reads_the_form_it_is_given() -> None:
    script = _read(STATIC / "login.js")
    login = _read(TEMPLATES / "login.html")
    for element_id in re.findall(r'getElementById\("([^"]+)"\)', script):
        assert f'id="{element_id}"' in login
    for name in re.findall(r"form\.elements\.(\w+)", script):
        assert f'name="{name}"' in login


def test_no_script_turns_money_into_floats_or_api_data_into_html() -> None:
    for path in STATIC.glob("*.js"):
        script = _read(path)
        assert "parseFloat" not in script, path.name
        assert "eval(" not in script, path.name
        assert "insertAdjacentHTML" not in script, path.name
        # The only HTML inserted is the server-rendered, auto-escaped panel.
        expected = 1 if path.name == "dashboard.js" else 0
        assert script.count("innerHTML") == expected, path.name


def test_every_element_the_records_script_looks_up_is_in_its_template() -> None:
    script = (
        _read(STATIC / "records.js")
        + _read(STATIC / "records-resources.js")
        + _read(STATIC / "shell.js")
    )
    template = _read(TEMPLATES / "records.html")
    ids = set(re.findall(r'getElementById\("([^"]+)"\)', script))
    assert {"records-table", "record-form", "add-button", "tenant-select"} <= ids
    assert sorted(i for i in ids if f'id="{i}"' not in template) == []


def test_every_records_page_has_a_resource_in_the_script() -> None:
    from findash.web.views import RECORD_SECTIONS

    script = _read(STATIC / "records-resources.js")
    resources = script.split("const RESOURCES = {", 1)[1]
    for name in RECORD_SECTIONS:
        assert re.search(rf"^      {name}: {{", resources, re.M), name


def test_no_script_of_ours_is_over_400_lines() -> None:
    """Like the Python modules (tests/test_architecture.py): long pages are split by part."""
    long = {p.name: n for p in STATIC.glob("*.js") if (n := len(_read(p).splitlines())) > 400}
    assert long == {}
