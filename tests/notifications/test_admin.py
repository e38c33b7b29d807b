"""The Django admin shows outbox rows (parked ones with their error) and webhooks, no secrets."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from findash.notifications.models import OutboxMessage
from findash.notifications.webhooks import webhook_create
from findash.tenancy.scoping import tenant_scope
from tests.notifications.conftest import Groceries


@pytest.fixture
def staff(db: None) -> Client:
    User.objects.create_superuser("operator", "op@example.com", "correct horse battery")
    client = Client()
    client.login(username="operator", password="correct horse battery")
    return client


def test_outbox_and_webhooks_are_visible_to_operators(
    groceries: Groceries, staff: Client, committed: Any
) -> None:
    org = groceries.world.org
    with tenant_scope(org):
        hook = webhook_create(
            tenant=org, url="http://127.0.0.1:9/x", events=["*"], secret="very-secret-value-123"
        )
    committed(lambda: groceries.spend("5.00"))
    OutboxMessage.objects.unscoped().filter(topic="webhook").update(
        status="parked", last_error="WebhookDeliveryFailed: HTTP 500"
    )
    listing = staff.get("/admin/notifications/outboxmessage/?status=parked")
    assert listing.status_code == 200 and "webhook" in listing.content.decode()
    parked = OutboxMessage.objects.unscoped().get(status="parked")
    page = staff.get(f"/admin/notifications/outboxmessage/{parked.pk}/change/").content.decode()
    assert "HTTP 500" in page
    hook_page = staff.get(f"/admin/notifications/webhook/{hook.pk}/change/")
    assert hook_page.status_code == 200
    assert "very-secret-value-123" not in hook_page.content.decode()
