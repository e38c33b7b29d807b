"""Budget alerts through a real RabbitMQ and a real (in-process) Celery worker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app
from findash.notifications import services
from findash.notifications.models import BudgetAlert
from findash.notifications.tasks import budget_alerts_send
from tests import factories
from tests.conftest import World
from tests.services import require_service

TODAY = date(2026, 11, 20)
BROKER = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def rabbitmq_worker() -> Iterator[str]:
    require_service("rabbitmq")
    queue = f"findash-test-{uuid.uuid4().hex}"  # other runs share this RabbitMQ
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved: dict[str, Any] = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=BROKER,
        task_always_eager=False,
        task_default_queue=queue,
    )
    try:
        # The test worker takes ~10 s to stop its AMQP consumer; give it room.
        with start_worker(
            app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=60
        ):
            yield queue
    finally:
        app.conf.update(saved)
        app.pool.force_close_all()


@pytest.mark.rabbitmq
@pytest.mark.django_db(transaction=True)
def test_an_over_budget_alert_travels_through_rabbitmq(
    world: World, rabbitmq_worker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)
    world.owner.email = "owner@example.com"
    world.owner.save()
    category = factories.make_category(world.org, name="Groceries")
    account = factories.make_account(world.org)
    factories.make_budget(world.org, category, amount=Decimal("100.00"), start_date=TODAY)
    factories.make_transaction(
        world.org, account, category=category, amount=Decimal("-130.00"), date=TODAY
    )

    budget_alerts_send.delay(world.org.pk)  # published to RabbitMQ, consumed by the worker

    recorded = BudgetAlert.objects.unscoped().filter(tenant=world.org, status="over")
    deadline = time.monotonic() + 20
    # The worker sends the email inside its transaction; wait for the commit as well.
    while not (mail.outbox and recorded.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert "OVER" in mail.outbox[0].body
    assert recorded.count() == 1
