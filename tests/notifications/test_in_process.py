"""The embedded default: no broker, outbox rows run in a background thread of the process.

Real commits (transactional tests), a real SMTP server and a real webhook receiver.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from findash.notifications.outbox import outbox_wait_idle
from tests.notifications.conftest import Groceries
from tests.notifications.receivers import SmtpServer, WebhookReceiver, text_and_html

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _background_thread(settings: Any) -> Iterator[None]:
    settings.OUTBOX_DISPATCH = "thread"
    yield
    outbox_wait_idle()


def _post_spending(groceries: Groceries, amount: str) -> Any:
    client = groceries.world.client(groceries.world.owner, groceries.world.org)
    return client.post(
        "/transactions",
        {
            "account_id": groceries.account.pk,
            "date": groceries.today.isoformat(),
            "amount": str(-Decimal(amount)),
            "category_id": groceries.category.pk,
        },
    )


def test_the_alert_email_arrives_within_5_seconds_of_the_crossing_write(
    groceries: Groceries, smtp: SmtpServer
) -> None:
    assert _post_spending(groceries, "50.00").status_code == 201
    # The test database of a SQLite run is in memory, shared between threads table by table;
    # let the first write's check finish before the next write so they never overlap.
    outbox_wait_idle()
    answer = _post_spending(groceries, "40.00")
    written = time.monotonic()
    assert answer.status_code == 201
    [message] = smtp.wait_for(1, timeout=5)
    latency = time.monotonic() - written
    print(f"\nin-process alert latency: {latency * 1000:.0f} ms")
    assert latency < 5
    assert message["To"] == "owner@example.com"
    text, html = text_and_html(message)
    for expected in ("Groceries", groceries.today.strftime("%Y-%m"), "90.00 USD", "100.00 USD"):
        assert expected in text and expected in html
    assert "90.00%" in text and "90.00%" in html
    outbox_wait_idle()
    time.sleep(0.2)
    assert len(smtp.received()) == 1


def test_a_slow_webhook_never_blocks_the_request(
    groceries: Groceries, receiver: WebhookReceiver, settings: Any
) -> None:
    receiver.delay = 2.0
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    owner.post("/webhooks", {"url": receiver.url, "events": ["transaction.created"]})
    started = time.monotonic()
    answer = _post_spending(groceries, "1.00")
    elapsed = time.monotonic() - started
    assert answer.status_code == 201
    assert elapsed < 1.0, f"the request waited {elapsed:.2f} s for the webhook"
    [hit] = receiver.wait_for(1, timeout=5)
    assert hit.event["data"]["id"] == answer.json()["id"]


def test_the_background_thread_resends_rows_whose_publish_was_lost(
    groceries: Groceries, settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from findash.notifications.models import OutboxMessage
    from findash.notifications.outbox import _runner
    from findash.tenancy.scoping import tenant_scope

    settings.OUTBOX_RESEND_GRACE_SECONDS = 0
    with tenant_scope(groceries.world.org):  # as if the process had stopped before publishing
        OutboxMessage.objects.create(
            topic=OutboxMessage.Topic.LEDGER_WRITTEN,
            payload={"category_ids": [], "months": []},
            next_attempt_at=timezone.now() - timedelta(seconds=1),
        )
    settings.OUTBOX_THREAD_RESEND_SECONDS = 0.2
    try:
        _runner.submit([-1])  # wakes the thread, which then waits 0.2 s at a time
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.5)  # seldom: SQLite's in-memory test database dislikes two threads
            if not groceries.outbox(status="pending"):
                break
        assert groceries.outbox(status="pending") == []
    finally:
        settings.OUTBOX_THREAD_RESEND_SECONDS = 0
        _runner.submit([-1])  # back to waiting without a timeout
        outbox_wait_idle()
