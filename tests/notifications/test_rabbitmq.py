"""The outbox through the real RabbitMQ at 127.0.0.1:5672 and an in-process Celery worker.

Each run consumes its own queue, so parallel runs on the shared RabbitMQ never take each
other's messages. The broker "outage" points the app at a closed port: the machine's
RabbitMQ keeps running for everybody else.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import Queue, pools

from config.celery import app
from findash.notifications import outbox
from findash.notifications.models import OutboxMessage
from tests.notifications.conftest import Groceries
from tests.notifications.receivers import SmtpServer, WebhookReceiver, free_port
from tests.notifications.test_concurrency import concurrent_spending
from tests.services import on_postgres, require_service

BROKER = "amqp://guest:guest@127.0.0.1:5672//"
# One queue per test process (Celery caches its routing, so not one per test).
QUEUE = f"findash-test-{uuid.uuid4().hex}"

# One xdist worker runs the whole module (--dist loadgroup), so its one Celery worker starts once.
pytestmark = [
    pytest.mark.rabbitmq,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("rabbitmq"),
]


def _use_broker(url: str) -> None:
    """Point the app's publishing at ``url`` (connection and producer pools are per URL)."""
    pools.reset()  # closes every pool and forgets it: a closed pool is never handed out again
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    outbox._broker_down_until = 0.0  # this process's pause after a failed publish


@pytest.fixture(scope="module")
def rabbitmq_worker() -> Iterator[str]:
    """One worker (4 threads) for the module, started once: it takes seconds to stop."""
    require_service("rabbitmq")
    if not on_postgres():
        # The SQLite test database lives in memory, shared between threads table by table:
        # a worker thread writing while the test reads fails with "table is locked".
        pytest.skip("the RabbitMQ worker tests run on the PostgreSQL pass of the suite")
    keys = ("broker_url", "task_always_eager", "task_default_queue", "task_queues")
    saved: dict[str, Any] = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        task_default_queue=QUEUE,
        task_queues=[Queue(QUEUE, auto_delete=True)],
    )
    _use_broker(BROKER)
    app.loader.import_default_modules()
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            queues=[QUEUE],
            shutdown_timeout=60,
        ):
            yield QUEUE
    finally:
        app.conf.update({k: v for k, v in saved.items() if k != "broker_url"})
        _use_broker(saved["broker_url"])


@pytest.fixture
def worker(rabbitmq_worker: str, settings: Any) -> Iterator[str]:
    settings.OUTBOX_DISPATCH = "celery"
    settings.OUTBOX_RESEND_GRACE_SECONDS = 0
    _use_broker(BROKER)
    yield rabbitmq_worker
    _use_broker(BROKER)


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


def _settle(seconds: float = 1.0) -> None:
    """Give a wrongly duplicated delivery the time to show up."""
    time.sleep(seconds)


def test_an_alert_travels_through_rabbitmq_to_smtp_within_5_seconds(
    groceries: Groceries, worker: str, smtp: SmtpServer
) -> None:
    answer = _post_spending(groceries, "85.00")
    written = time.monotonic()
    assert answer.status_code == 201
    [message] = smtp.wait_for(1, timeout=5)
    latency = time.monotonic() - written
    print(f"\nRabbitMQ alert latency: {latency * 1000:.0f} ms")
    assert latency < 5
    assert message["To"] == "owner@example.com" and "85.00%" in message["Subject"]
    _settle()
    assert len(smtp.received()) == 1
    assert {m.status for m in groceries.outbox()} == {OutboxMessage.Status.DONE}


def test_concurrent_writes_through_rabbitmq_alert_exactly_once(
    groceries: Groceries, worker: str, smtp: SmtpServer
) -> None:
    concurrent_spending(groceries, "10.00")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and groceries.outbox(status="pending"):
        time.sleep(0.05)
    _settle()
    subjects = Counter(m["Subject"].split(":")[0] for m in smtp.received())
    assert subjects["[findash] Over budget"] == 1
    assert subjects["[findash] Budget warning"] <= 1
    assert groceries.outbox(status="pending") == []


def _drained(groceries: Groceries, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and groceries.outbox(status="pending"):
        time.sleep(0.05)


def test_broker_down_writes_succeed_and_the_outbox_drains_once_when_it_returns(
    groceries: Groceries, worker: str, smtp: SmtpServer, receiver: WebhookReceiver
) -> None:
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    owner.post("/webhooks", {"url": receiver.url, "events": ["*"]})
    _use_broker(f"amqp://guest:guest@127.0.0.1:{free_port()}//")  # nothing listens there
    for amount in ("50.00", "35.00"):  # 85 %: a warning
        started = time.monotonic()
        assert _post_spending(groceries, amount).status_code == 201
        assert time.monotonic() - started < 3
    pending = groceries.outbox(status="pending")
    assert Counter(m.topic for m in pending) == {"ledger_written": 2, "webhook": 2}
    _settle(0.5)
    assert smtp.received() == [] and receiver.received() == []

    _use_broker(BROKER)
    app.send_task("findash.notifications.tasks.outbox_resend")  # what beat sends every 30 s
    smtp.wait_for(1, timeout=10)
    receiver.wait_for(3, timeout=10)
    _drained(groceries)
    app.send_task("findash.notifications.tasks.outbox_resend")  # a second pass finds nothing
    _settle()
    assert [m["Subject"].split(":")[0] for m in smtp.received()] == ["[findash] Budget warning"]
    kinds = Counter(h.event["type"] for h in receiver.received())
    assert kinds == {"transaction.created": 2, "budget.threshold_crossed": 1}
    assert groceries.outbox(status="pending") == []

    assert _post_spending(groceries, "30.00").status_code == 201  # 115 %, broker up: at once
    smtp.wait_for(2, timeout=5)
    _drained(groceries)
    _settle()
    assert [m["Subject"].split(":")[0] for m in smtp.received()] == [
        "[findash] Budget warning",
        "[findash] Over budget",
    ]
    kinds = Counter(h.event["type"] for h in receiver.received())
    assert kinds == {"transaction.created": 3, "budget.threshold_crossed": 2}
    assert len({h.event["id"] for h in receiver.received()}) == 5


def test_failed_webhook_deliveries_come_back_through_rabbitmq_with_growing_delays(
    groceries: Groceries, worker: str, receiver: WebhookReceiver, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 0.5
    receiver.answer = lambda n: 503 if n <= 2 else 200
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    owner.post("/webhooks", {"url": receiver.url, "events": ["transaction.created"]})
    assert _post_spending(groceries, "1.00").status_code == 201
    hits = receiver.wait_for(3, timeout=15)
    _drained(groceries)
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(hits)]
    print(f"\nretry gaps through RabbitMQ: {[round(g, 2) for g in gaps]} s")
    assert len(hits) == 3 and len({h.body for h in hits}) == 1
    assert 0.45 <= gaps[0] < 3 and 0.95 <= gaps[1] < 4  # 0.5 s, then 1 s (countdown messages)
    assert gaps[1] > gaps[0]
    _settle()
    assert len(receiver.received()) == 3
    [delivery] = groceries.outbox(topic="webhook")
    assert delivery.status == "done" and delivery.attempts == 3
