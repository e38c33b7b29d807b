"""/webhooks: CRUD for owners and admins, URL and event checks, deliveries visible."""

from __future__ import annotations

from typing import Any

import pytest

from findash.notifications.models import Webhook
from tests.conftest import World


@pytest.fixture
def owner(world: World) -> Any:
    return world.client(world.owner, world.org)


def _create(client: Any, **fields: Any) -> Any:
    body = {"url": "http://127.0.0.1:9/hook", "events": ["budget.threshold_crossed"], **fields}
    return client.post("/webhooks", body)


def test_create_shows_the_secret_once_then_never(owner: Any) -> None:
    created = _create(owner, description="ops")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    assert body["events"] == ["budget.threshold_crossed"] and body["is_active"] is True
    fetched = owner.get(f"/webhooks/{body['id']}").json()
    assert "secret" not in fetched and fetched["description"] == "ops"
    listed = owner.get("/webhooks").json()
    assert listed["count"] == 1 and "secret" not in listed["items"][0]


def test_update_and_delete(owner: Any) -> None:
    webhook_id = _create(owner, secret="s" * 20).json()["id"]
    patched = owner.patch(f"/webhooks/{webhook_id}", {"events": ["*"], "is_active": False})
    assert patched.status_code == 200
    assert patched.json()["events"] == ["*"] and patched.json()["is_active"] is False
    assert owner.delete(f"/webhooks/{webhook_id}").status_code == 204
    assert owner.get(f"/webhooks/{webhook_id}").status_code == 404


def test_outsiders_see_404_and_members_403(world: World, owner: Any) -> None:
    webhook_id = _create(owner).json()["id"]
    outsider = world.client(world.outsider)
    for call in (
        lambda: outsider.get(f"/webhooks/{webhook_id}"),
        lambda: outsider.patch(f"/webhooks/{webhook_id}", {"is_active": False}),
        lambda: outsider.delete(f"/webhooks/{webhook_id}"),
        lambda: outsider.get(f"/webhooks/{webhook_id}/deliveries"),
    ):
        assert call().status_code == 404
    assert outsider.get("/webhooks").json()["count"] == 0
    member = world.client(world.member, world.org)
    assert member.get("/webhooks").status_code == 403
    assert _create(member).status_code == 403
    assert world.client(world.viewer, world.org).get("/webhooks").status_code == 403
    with_scope = Webhook.objects.unscoped().get(pk=webhook_id)
    assert with_scope.is_active


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/hook", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("http://127.0.0.1:8000/hook", "private, loopback"),
        ("http://localhost/hook", "private, loopback"),
        ("http://10.1.2.3/hook", "private, loopback"),
        ("http://192.168.0.10/hook", "private, loopback"),
        ("http://169.254.169.254/latest/meta-data", "private, loopback"),
        ("http://[::1]:8080/hook", "private, loopback"),
        ("http://user:pw@93.184.216.34/hook", "credentials"),
        ("https:///nohost", "no host"),
    ],
)
def test_bad_urls_are_422_naming_url(owner: Any, settings: Any, url: str, reason: str) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = False
    answer = _create(owner, url=url)
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["loc"] == ["body", "url"] and reason in error["msg"]
    assert Webhook.objects.unscoped().count() == 0


def test_a_public_address_is_accepted_without_the_private_switch(owner: Any, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = False
    assert _create(owner, url="https://93.184.216.34/hook").status_code == 201


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"events": []}, "events"),
        ({"events": ["budget.exploded"]}, "events"),
        ({"secret": "short"}, "secret"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_are_422_naming_them(owner: Any, fields: dict[str, Any], loc: str) -> None:
    answer = _create(owner, **fields)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == loc
    assert Webhook.objects.unscoped().count() == 0


def test_patch_null_is_422(owner: Any) -> None:
    webhook_id = _create(owner).json()["id"]
    answer = owner.patch(f"/webhooks/{webhook_id}", {"url": None})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["body", "url"]
