"""Exactly once under concurrent writes: many writers cross the same budget at once."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from tests.notifications.conftest import Groceries
from tests.notifications.receivers import WebhookReceiver
from tests.services import on_postgres

WRITERS = 12


def concurrent_spending(groceries: Groceries, amount: str, writers: int = WRITERS) -> None:
    """``writers`` threads each write ``amount`` at the same moment, each committing on its own."""
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait(timeout=10)
            groceries.spend(amount)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_crossing_writes_alert_exactly_once(
    groceries: Groceries, receiver: WebhookReceiver, settings: Any
) -> None:
    if not on_postgres():
        pytest.skip("SQLite runs one writer at a time; this race needs PostgreSQL")
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    owner.post("/webhooks", {"url": receiver.url, "events": ["budget.threshold_crossed"]})
    concurrent_spending(groceries, "10.00")  # 12 writes of 10.00 against 100.00: 120 %
    month = groceries.today.strftime("%Y-%m")
    assert groceries.alerts() == [(month, "over"), (month, "warning")]
    kinds = Counter(m.subject.split(":")[0].removeprefix("[findash] ") for m in mail.outbox)
    assert kinds["Over budget"] == 1 and kinds["Budget warning"] <= 1
    assert all(m.to == ["owner@example.com"] for m in mail.outbox)
    levels = Counter(h.event["data"]["level"] for h in receiver.wait_for(len(mail.outbox)))
    assert levels["over"] == 1 and levels["warning"] <= 1
    assert sum(levels.values()) == len(mail.outbox)
