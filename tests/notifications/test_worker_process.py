"""``celery -A config worker`` as its own process, on the real RabbitMQ: the entry point works
and a crossing write's alert reaches a real SMTP server within 5 seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from kombu import Connection

from config.celery import app
from tests.notifications.conftest import Groceries
from tests.notifications.receivers import SmtpServer
from tests.notifications.test_rabbitmq import BROKER, _use_broker
from tests.services import on_postgres, require_service

pytestmark = [pytest.mark.rabbitmq, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_process(smtp: SmtpServer, settings: Any) -> Iterator[str]:
    require_service("rabbitmq")
    if not on_postgres():
        pytest.skip("a worker process needs a database it can share: the PostgreSQL pass")
    queue = f"findash-test-proc-{uuid.uuid4().hex}"
    name = f"{queue}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.local",
        "DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-n", name]
    command += ["--pool", "solo", "--without-mingle", "--without-gossip", "-l", "WARNING"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(task_always_eager=False, task_default_queue=queue)
    _use_broker(BROKER)
    settings.OUTBOX_DISPATCH = "celery"
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[name], timeout=0.5):
            assert process.poll() is None, "the worker process exited"
            assert time.monotonic() < deadline, "the worker did not answer a ping in 30 s"
        yield queue
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        app.conf.update({k: v for k, v in saved.items() if k != "broker_url"})
        _use_broker(saved["broker_url"])
        with Connection(BROKER) as conn:  # type: ignore[no-untyped-call]
            conn.default_channel.queue_delete(queue)


def test_a_worker_process_emails_the_alert_within_5_seconds(
    groceries: Groceries, smtp: SmtpServer, worker_process: str
) -> None:
    client = groceries.world.client(groceries.world.owner, groceries.world.org)
    answer = client.post(
        "/transactions",
        {
            "account_id": groceries.account.pk,
            "date": groceries.today.isoformat(),
            "amount": str(Decimal("-101.00")),
            "category_id": groceries.category.pk,
        },
    )
    written = time.monotonic()
    assert answer.status_code == 201
    [message] = smtp.wait_for(1, timeout=5)
    latency = time.monotonic() - written
    print(f"\nworker process alert latency: {latency * 1000:.0f} ms")
    assert latency < 5
    assert "Over budget" in message["Subject"] and "101.00%" in message["Subject"]
    time.sleep(1)
    assert len(smtp.received()) == 1
