"""Webhook deliveries to a real HTTP receiver: signed, retried with backoff, then parked."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from findash.notifications.models import OutboxMessage, WebhookAttempt
from findash.notifications.outbox import backoff_seconds, outbox_resend_due
from tests.notifications.conftest import Groceries
from tests.notifications.receivers import WebhookReceiver

SECRET = "test-secret-0123456789"


def signature_valid(secret: str, raw_body: bytes, header: str) -> bool:
    """The recipe documented in the README, verbatim."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


@pytest.fixture
def hook(groceries: Groceries, receiver: WebhookReceiver, committed: Any) -> dict[str, Any]:
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    answer = committed(
        lambda: owner.post(
            "/webhooks",
            {
                "url": receiver.url,
                "events": ["budget.threshold_crossed", "transaction.created"],
                "secret": SECRET,
            },
        )
    )
    assert answer.status_code == 201, answer.json()
    return {"id": answer.json()["id"], "client": owner}


def _tries(message: OutboxMessage) -> list[WebhookAttempt]:
    return list(WebhookAttempt.objects.unscoped().filter(message=message).order_by("number"))


def _time_passes() -> int:
    """Make every waiting retry due, then run the beat's resend."""
    OutboxMessage.objects.unscoped().filter(status="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=settings.OUTBOX_RESEND_GRACE_SECONDS + 1)
    )
    return outbox_resend_due()


def test_events_arrive_signed_with_the_documented_recipe(
    groceries: Groceries, receiver: WebhookReceiver, hook: dict[str, Any], committed: Any
) -> None:
    txn = committed(lambda: groceries.spend("85.00"))
    hits = receiver.wait_for(2)
    assert [h.event["type"] for h in hits] == ["transaction.created", "budget.threshold_crossed"]
    for hit in hits:
        assert signature_valid(SECRET, hit.body, hit.headers["X-Findash-Signature"])
        assert not signature_valid(
            "another-secret-xyz", hit.body, hit.headers["X-Findash-Signature"]
        )
        assert hit.headers["Content-Type"] == "application/json"
        assert hit.headers["X-Findash-Event"] == hit.event["type"]
        assert hit.event["tenant_id"] == groceries.world.org.public_id
    created, crossed = hits[0].event, hits[1].event
    assert created["data"]["id"] == txn.pk and created["data"]["amount"] == "-85.00"
    assert crossed["data"] == {
        "budget_id": groceries.budget.pk,
        "category_id": groceries.category.pk,
        "category_name": "Groceries",
        "month": groceries.today.strftime("%Y-%m"),
        "level": "warning",
        "currency": "USD",
        "limit": "100.00",
        "spent": "85.00",
        "remaining": "15.00",
        "percent_used": "85.00",
        "alert_threshold": "80.00",
    }
    committed(lambda: groceries.spend("20.00"))
    hits = receiver.wait_for(4)
    assert hits[3].event["type"] == "budget.threshold_crossed"
    assert hits[3].event["data"]["level"] == "over"
    deliveries = hook["client"].get(f"/webhooks/{hook['id']}/deliveries").json()
    assert deliveries["count"] == 4
    assert {d["status"] for d in deliveries["items"]} == {"done"}
    assert all(d["tries"][0]["status_code"] == 200 for d in deliveries["items"])


def test_failures_are_retried_with_exponential_backoff_then_delivered(
    groceries: Groceries,
    receiver: WebhookReceiver,
    hook: dict[str, Any],
    committed: Any,
    settings: Any,
) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 2.0
    receiver.answer = lambda n: 500 if n <= 3 else 200
    hook["client"].patch(f"/webhooks/{hook['id']}", {"events": ["transaction.created"]})
    committed(lambda: groceries.spend("1.00"))
    [message] = groceries.outbox(topic="webhook")
    gaps = []
    for attempt in (1, 2, 3):
        message.refresh_from_db()
        assert message.status == "pending" and message.attempts == attempt
        assert message.last_error == "WebhookDeliveryFailed: HTTP 500"
        last_try = _tries(message)[-1]
        gaps.append((message.next_attempt_at - last_try.attempted_at).total_seconds())
        assert _time_passes() == 1
    assert [round(g) for g in gaps] == [2, 4, 8]
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    message.refresh_from_db()
    assert message.status == "done"
    hits = receiver.received()
    assert len(hits) == 4 and len({h.body for h in hits}) == 1  # the same signed body
    assert [h.headers["X-Findash-Attempt"] for h in hits] == ["1", "2", "3", "4"]
    [delivery] = hook["client"].get(f"/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [t["status_code"] for t in delivery["tries"]] == [500, 500, 500, 200]
    assert delivery["status"] == "done" and delivery["attempts"] == 4


def test_a_poison_delivery_is_parked_with_its_error_and_can_be_redelivered(
    groceries: Groceries,
    receiver: WebhookReceiver,
    hook: dict[str, Any],
    committed: Any,
    settings: Any,
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    receiver.answer = lambda n: 410 if n <= 3 else 204
    hook["client"].patch(f"/webhooks/{hook['id']}", {"events": ["transaction.created"]})
    committed(lambda: groceries.spend("1.00"))
    _time_passes()
    _time_passes()
    [message] = groceries.outbox(topic="webhook")
    assert message.status == "parked" and message.attempts == 3
    assert "HTTP 410" in message.last_error
    assert _time_passes() == 0  # parked rows are left alone
    assert len(receiver.received()) == 3
    client, base = hook["client"], f"/webhooks/{hook['id']}/deliveries"
    assert client.get(f"{base}?status=parked").json()["count"] == 1
    answer = committed(lambda: client.post(f"{base}/{message.pk}/redeliver"))
    assert answer.status_code == 202 and answer.json()["status"] == "pending"
    assert answer.json()["attempts"] == 0
    assert len(receiver.received()) == 4
    message.refresh_from_db()
    assert message.status == "done"
    outsider = groceries.world.client(groceries.world.outsider)
    assert outsider.post(f"{base}/{message.pk}/redeliver").status_code == 404


def test_a_slow_endpoint_times_out_and_is_recorded(
    groceries: Groceries,
    receiver: WebhookReceiver,
    hook: dict[str, Any],
    committed: Any,
    settings: Any,
) -> None:
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    hook["client"].patch(f"/webhooks/{hook['id']}", {"events": ["transaction.created"]})
    committed(lambda: groceries.spend("1.00"))
    [message] = groceries.outbox(topic="webhook")
    [attempt] = _tries(message)
    assert attempt.status_code is None and "timed out" in attempt.error
    assert attempt.duration_ms < 1000
    assert message.status == "pending"


def test_ping_reaches_the_endpoint(
    groceries: Groceries, receiver: WebhookReceiver, hook: dict[str, Any], committed: Any
) -> None:
    answer = committed(lambda: hook["client"].post(f"/webhooks/{hook['id']}/ping"))
    assert answer.status_code == 202
    [hit] = receiver.wait_for(1)
    assert hit.event["type"] == "webhook.ping"
    assert signature_valid(SECRET, hit.body, hit.headers["X-Findash-Signature"])


def test_a_disabled_webhook_gets_nothing(
    groceries: Groceries, receiver: WebhookReceiver, hook: dict[str, Any], committed: Any
) -> None:
    hook["client"].patch(f"/webhooks/{hook['id']}", {"is_active": False})
    committed(lambda: groceries.spend("90.00"))
    assert receiver.received() == []
    assert groceries.outbox(topic="webhook") == []
