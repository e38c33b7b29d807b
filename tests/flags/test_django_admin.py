from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from findash.flags.models import Flag, FlagAudit
from findash.flags.services import flag_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in() -> Client:
    user = User.objects.create_superuser("root", "root@example.com", "pw-for-tests-only")
    client = Client()
    client.force_login(user)
    return client


def _form(**fields: str) -> dict[str, str]:
    return {"key": "dashboard", "enabled": "on", "rollout": "100", "allow": "[]", "deny": "[]",
            **fields}  # fmt: skip


def test_adding_a_flag_in_the_admin_goes_through_the_audited_service(
    admin_client_logged_in: Client,
) -> None:
    response = admin_client_logged_in.post(
        "/admin/flags/flag/add/", _form(rollout="25", deny='["org_9"]')
    )
    assert response.status_code == 302, response.content
    flag = Flag.objects.get(key="dashboard")
    assert (flag.rollout, flag.deny, flag.updated_by) == (25, ["org_9"], "admin:root")
    assert FlagAudit.objects.get().actor == "admin:root"


def test_changing_a_flag_in_the_admin_is_audited_and_invalid_values_are_refused(
    admin_client_logged_in: Client,
) -> None:
    flag = flag_update(key="dashboard", rollout=5, actor="cli:x")
    url = f"/admin/flags/flag/{flag.pk}/change/"
    refused = admin_client_logged_in.post(url, _form(rollout="150"))
    assert refused.status_code == 200  # the form again, with the error
    assert b"between 0 and 100" in refused.content or b"less than or equal" in refused.content
    bad_tenant = admin_client_logged_in.post(url, _form(allow='["acme"]'))
    assert b"is not a tenant id" in bad_tenant.content
    flag.refresh_from_db()
    assert flag.rollout == 5

    assert (
        admin_client_logged_in.post(url, {**_form(rollout="50"), "enabled": ""}).status_code == 302
    )
    flag.refresh_from_db()
    assert (flag.enabled, flag.rollout) == (False, 50)
    latest = FlagAudit.objects.first()
    assert latest is not None
    assert (latest.actor, latest.old["rollout"], latest.new["rollout"]) == ("admin:root", 5, 50)


def test_unknown_keys_are_refused_on_the_add_form(admin_client_logged_in: Client) -> None:
    response = admin_client_logged_in.post("/admin/flags/flag/add/", _form(key="dashbord"))
    assert b"unknown flag" in response.content
    assert not Flag.objects.exists()


def test_the_flags_admin_index_is_not_shadowed_by_the_api(admin_client_logged_in: Client) -> None:
    response = admin_client_logged_in.get("/admin/flags/")
    assert response.status_code == 200
    assert b"Flag audits" in response.content


def test_the_audit_log_is_listed_and_read_only(admin_client_logged_in: Client) -> None:
    flag = flag_update(key="dashboard", enabled=False, actor="cli:x")
    assert admin_client_logged_in.get("/admin/flags/flagaudit/").status_code == 200
    audit = FlagAudit.objects.get()
    assert (
        admin_client_logged_in.get(f"/admin/flags/flagaudit/{audit.pk}/change/").status_code == 200
    )
    assert admin_client_logged_in.get("/admin/flags/flagaudit/add/").status_code == 403
    assert admin_client_logged_in.post(f"/admin/flags/flag/{flag.pk}/delete/").status_code == 403
