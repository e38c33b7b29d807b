"""GET /app/panel/: the tenant's panel, rendered on the server for the bearer it is sent."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from findash.flags.services import flag_update
from findash.tenancy.models import Tenant
from findash.tenancy.tokens import token_pair_issue
from tests import factories
from tests.conftest import ApiClient, World


def _panel(user: User | None = None, tenant: Tenant | None = None, **headers: str) -> Any:
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = factories.bearer(user)
    if tenant is not None:
        headers["HTTP_X_TENANT_ID"] = tenant.public_id
    return Client().get("/app/panel/", **headers)


def test_the_panel_names_the_acting_tenant_and_the_enabled_dashboard(world: World) -> None:
    response = _panel(world.member, world.org)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'data-tenant-id="{world.org.public_id}"' in html
    assert 'data-dashboard-enabled="true"' in html
    assert 'data-role="member"' in html
    assert 'id="dashboard"' in html
    for section in (
        "summary-section",
        "accounts-table",
        "budgets-table",
        "by-category-table",
        "by-month-table",
        "top-payees-table",
        "largest-expenses-table",
        "warnings",
    ):
        assert f'id="{section}"' in html, section
    # The plain account list waits, hidden, in case the flag goes off mid-session.
    assert (
        'id="accounts-list-section" class="card" aria-labelledby="accounts-list-title" hidden'
        in html
    )
    assert response["Cache-Control"] == "no-store"
    assert "Authorization" in response["Vary"] and "X-Tenant-ID" in response["Vary"]


def test_without_x_tenant_id_the_panel_is_the_personal_tenant(world: World) -> None:
    html = _panel(world.owner).content.decode()
    assert f'data-tenant-id="{world.owner_personal.public_id}"' in html
    assert "Personal" in html


def test_the_flag_off_renders_the_account_list_and_a_note_instead(world: World) -> None:
    flag_update(key="dashboard", deny=[world.org.public_id], actor="test")
    html = _panel(world.owner, world.org).content.decode()
    assert 'data-dashboard-enabled="false"' in html
    assert 'id="dashboard"' not in html
    assert 'id="summary-section"' not in html
    assert 'id="dashboard-disabled-note"' in html
    assert 'aria-labelledby="accounts-list-title">' in html  # not hidden
    # The flag follows the tenant: the owner's personal tenant still has it.
    personal = _panel(world.owner, world.owner_personal).content.decode()
    assert 'data-dashboard-enabled="true"' in personal


def test_the_kill_switch_turns_the_panel_off_for_everyone(world: World) -> None:
    flag_update(key="dashboard", enabled=False, actor="test")
    for user, tenant in ((world.viewer, world.org), (world.outsider, None)):
        html = _panel(user, tenant).content.decode()
        assert 'data-dashboard-enabled="false"' in html


def test_the_panel_shows_the_base_currency_in_column_headers(db: None) -> None:
    user = factories.make_user(base_currency="EUR")
    html = _panel(user).content.decode()
    assert 'data-base-currency="EUR"' in html
    assert "Balance (EUR)" in html


def test_tenant_names_are_escaped(db: None) -> None:
    user = factories.make_user()
    org = factories.make_org(user, '<img src=x onerror="alert(1)"> & Co')
    html = _panel(user, org).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in html


def test_an_outsider_naming_the_org_is_refused(world: World) -> None:
    response = _panel(world.outsider, world.org)
    assert response.status_code == 403
    assert "not a member" in response.json()["detail"]


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-jwt"]
)
def test_a_missing_or_bad_token_answers_401(db: None, authorization: str | None) -> None:
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = _panel(**headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_refresh_token_is_not_accepted_as_a_bearer(db: None) -> None:
    user = factories.make_user()
    pair = token_pair_issue(user=user)
    response = _panel(HTTP_AUTHORIZATION=f"Bearer {pair.refresh_token}")
    assert response.status_code == 401


def test_a_deactivated_user_is_refused(db: None) -> None:
    user = factories.make_user()
    authorization = factories.bearer(user)
    user.is_active = False
    user.save()
    assert _panel(HTTP_AUTHORIZATION=authorization).status_code == 401


def _embedded(html: str) -> Any:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html)
    return None if found is None else json.loads(found.group(1))


def test_the_panel_brings_the_dashboard_answer_for_the_pages_period(
    db: None, settings: Any
) -> None:
    """The page draws the figures from the panel: the API's very answer, with its ETag (so
    the first live-update poll is a 304), for the period the page asks the panel for."""
    settings.DASHBOARD_CACHE_ENABLED = True
    user = factories.make_user()
    tenant = factories.personal_tenant(user)
    account = factories.make_account(tenant)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    factories.make_transaction(tenant, account, date=last_month, amount=Decimal("-42.50"))
    html = (
        Client()
        .get("/app/panel/?period=last_month", HTTP_AUTHORIZATION=factories.bearer(user))
        .content.decode()
    )
    embedded = _embedded(html)
    api = ApiClient(user).get("/financial/dashboard?period=last_month")
    assert embedded == api.json()
    assert embedded["summary"]["expenses"] == "42.50"
    attribute = re.search(r'data-dashboard-etag="([^"]+)"', html)
    assert attribute is not None
    etag = unescape(attribute.group(1))  # as the browser's dataset reads it
    assert etag == api["ETag"]
    again = ApiClient(user).get("/financial/dashboard?period=last_month", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_the_embedded_answer_cannot_close_its_script_element(db: None) -> None:
    user = factories.make_user()
    tenant = factories.personal_tenant(user)
    account = factories.make_account(tenant)
    payee = "</script><script>alert(1)</script>"
    factories.make_transaction(
        tenant, account, date=timezone.localdate(), amount=Decimal("-9.99"), payee=payee
    )
    html = (
        Client()
        .get("/app/panel/?period=current_month", HTTP_AUTHORIZATION=factories.bearer(user))
        .content.decode()
    )
    assert "<script>alert(1)" not in html
    assert _embedded(html)["transactions"]["largest_expenses"][0]["payee"] == payee


@pytest.mark.parametrize(
    "query", ["?period=next_year", "?start=2026-01-01", "?start=2026-02-01&end=2026-01-01"]
)
def test_a_bad_period_leaves_the_answer_to_the_api_and_its_422(db: None, query: str) -> None:
    user = factories.make_user()
    response = Client().get(f"/app/panel/{query}", HTTP_AUTHORIZATION=factories.bearer(user))
    assert response.status_code == 200
    assert _embedded(response.content.decode()) is None
    assert ApiClient(user).get(f"/financial/dashboard{query}").status_code == 422


def test_no_answer_is_embedded_when_the_flag_is_off(world: World) -> None:
    flag_update(key="dashboard", deny=[world.org.public_id], actor="test")
    response = Client().get(
        "/app/panel/?period=current_month",
        HTTP_AUTHORIZATION=factories.bearer(world.owner),
        HTTP_X_TENANT_ID=world.org.public_id,
    )
    assert _embedded(response.content.decode()) is None
