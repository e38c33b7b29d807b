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
