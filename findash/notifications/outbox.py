"""The outbox: work written in the causing write's transaction, run after it commits.

A row is added inside the write's ``transaction.atomic`` block and published on
commit (to the Celery broker, a background thread of this process, or inline;
``OUTBOX_DISPATCH``). If publishing fails, say the broker is down, the write has
committed anyway and the row stays ``pending``; :func:`outbox_resend_due` (a beat
task) publishes it again. Running a row claims it first with one conditional
UPDATE, so duplicates (a redelivered task, the resend racing the first publish)
do nothing. A failure backs off exponentially; after ``OUTBOX_MAX_ATTEMPTS`` the
row is ``parked`` with its last error.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from findash.notifications.models import OutboxMessage, Webhook
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope

logger = logging.getLogger(__name__)

PROCESS_TASK = "findash.notifications.tasks.outbox_process"
_EARLY_TOLERANCE = timedelta(seconds=1)


@dataclass(frozen=True)
class Handler:
    run: Callable[[OutboxMessage], None]
    # True: the handler only writes to the database, so it runs in one transaction with
    # marking the row done. False: it talks to the outside world (SMTP, HTTP), which must
    # never happen inside a transaction that could still roll back.
    in_transaction: bool


_HANDLERS: dict[str, Handler] = {}


def outbox_handler(topic: str, *, in_transaction: bool) -> Callable[[Any], Any]:
    def register(run: Callable[[OutboxMessage], None]) -> Callable[[OutboxMessage], None]:
        _HANDLERS[topic] = Handler(run, in_transaction)
        return run

    return register


def outbox_add(
    *,
    tenant: Tenant,
    topic: str,
    payload: dict[str, Any],
    key: str | None = None,
    webhook: Webhook | None = None,
) -> OutboxMessage | None:
    """Add a row in the current transaction; None when a row with this ``key`` exists."""
    if key is not None and OutboxMessage.objects.unscoped().filter(key=key).exists():
        return None
    message = OutboxMessage(
        tenant=tenant,
        topic=topic,
        payload=payload,
        key=key,
        webhook=webhook,
        next_attempt_at=timezone.now(),
    )
    if key is None:
        message.save()
    else:
        try:
            with transaction.atomic():  # a savepoint: only a keyed row can collide
                message.save()
        except IntegrityError:
            return None  # a concurrent writer added the same key
    transaction.on_commit(lambda: outbox_publish([message.pk]))
    return message


def backoff_seconds(attempt: int) -> float:
    """Delay after the ``attempt``-th failure: base, 2 * base, 4 * base … capped."""
    delay: float = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return min(delay, settings.OUTBOX_RETRY_MAX_SECONDS)


# --- dispatch ---------------------------------------------------------------


def outbox_publish(ids: Iterable[int], *, countdown: float = 0) -> int:
    """Hand rows to whatever runs them; returns how many were handed over."""
    ids = list(ids)
    mode = settings.OUTBOX_DISPATCH
    if mode == "inline":
        if countdown <= 0:
            for message_id in ids:
                outbox_process(message_id)
        return len(ids)  # a delayed retry waits for outbox_resend_due
    if mode == "thread":
        _runner.submit(ids, countdown)
        return len(ids)
    return _publish_to_broker(ids, countdown)


_BROKER_PAUSE_SECONDS = 5.0
_broker_down_until = 0.0


# A delayed message waits unacknowledged in the worker; RabbitMQ closes consumers that
# hold one past its consumer_timeout (30 min by default). Longer waits go to the resend.
_MAX_COUNTDOWN_SECONDS = 300.0


def _publish_to_broker(ids: list[int], countdown: float) -> int:
    global _broker_down_until
    if countdown > _MAX_COUNTDOWN_SECONDS:
        return 0  # outbox_resend publishes the rows when they are due
    if time.monotonic() < _broker_down_until:
        return 0  # a publish failed moments ago: do not make every request wait for it
    sent = 0
    for message_id in ids:
        try:
            current_app.send_task(
                PROCESS_TASK, args=[message_id], countdown=countdown or None, retry=False
            )
        except Exception as exc:  # the broker is down: the row waits for the resend
            _broker_down_until = time.monotonic() + _BROKER_PAUSE_SECONDS
            logger.warning(
                "outbox: broker unavailable, %d row(s) left for the resend: %s",
                len(ids) - sent,
                exc,
            )
            break
        sent += 1
    return sent


class _InProcessRunner:
    """One background thread running outbox rows for the embedded default (no broker).

    When idle it resends due rows every ``OUTBOX_THREAD_RESEND_SECONDS`` (0: never), so
    retries and rows left over from a previous run are delivered without a beat process.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[int] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, ids: list[int], countdown: float = 0) -> None:
        self._ensure_started()
        if countdown > 0:
            timer = threading.Timer(countdown, self.submit, args=(ids,))
            timer.daemon = True
            timer.start()
            return
        for message_id in ids:
            self._queue.put(message_id)

    def wait_idle(self) -> None:
        """Block until every submitted row ran (tests)."""
        self._queue.join()

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="findash-outbox", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                message_id = self._queue.get(timeout=settings.OUTBOX_THREAD_RESEND_SECONDS or None)
            except queue.Empty:
                self._guarded(outbox_resend_due)
                continue
            try:
                self._guarded(functools.partial(outbox_process, message_id))
            finally:
                self._queue.task_done()

    @staticmethod
    def _guarded(work: Callable[[], object]) -> None:
        close_old_connections()
        try:
            work()
        except Exception:
            logger.exception("outbox: in-process run failed")
        finally:
            connections.close_all()


_runner = _InProcessRunner()


def outbox_wait_idle() -> None:
    _runner.wait_idle()


# --- running one row ----------------------------------------------------------


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.unscoped()
        .filter(
            pk=message_id,
            status=OutboxMessage.Status.PENDING,
            next_attempt_at__lte=now + _EARLY_TOLERANCE,
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(
            locked_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    return OutboxMessage.objects.unscoped().select_related("tenant", "webhook").get(pk=message_id)


def _mark_done(message: OutboxMessage) -> None:
    OutboxMessage.objects.unscoped().filter(pk=message.pk).update(
        status=OutboxMessage.Status.DONE, done_at=timezone.now(), locked_until=None
    )


def _mark_failed(message: OutboxMessage, error: str) -> None:
    rows = OutboxMessage.objects.unscoped().filter(pk=message.pk)
    error = error[:2000]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        rows.update(status=OutboxMessage.Status.PARKED, locked_until=None, last_error=error)
        logger.error(
            "outbox: %s #%s parked after %d attempts: %s",
            message.topic,
            message.pk,
            message.attempts,
            error,
        )
        return
    delay = backoff_seconds(message.attempts)
    rows.update(
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        locked_until=None,
        last_error=error,
    )
    logger.warning(
        "outbox: %s #%s attempt %d failed, retry in %.1f s: %s",
        message.topic,
        message.pk,
        message.attempts,
        delay,
        error,
    )
    outbox_publish([message.pk], countdown=delay)


def outbox_process(message_id: int) -> str:
    """Run one row once: ``done``, ``failed`` (retried later), or ``skipped`` (not due)."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    if message.attempts > settings.OUTBOX_MAX_ATTEMPTS:  # earlier runs died mid-way
        _mark_failed(message, message.last_error or "a worker died while running it")
        return "failed"
    handler = _HANDLERS.get(message.topic)
    try:
        if handler is None:
            raise LookupError(f"no handler for outbox topic {message.topic!r}")
        with tenant_scope(message.tenant):
            if handler.in_transaction:
                with transaction.atomic():
                    handler.run(message)
                    _mark_done(message)
            else:
                handler.run(message)
                _mark_done(message)
    except Exception as exc:  # any failure is retried, then parked with its error
        _mark_failed(message, f"{type(exc).__name__}: {exc}")
        return "failed"
    return "done"


def outbox_resend_due(*, limit: int = 1000) -> int:
    """Publish pending rows whose time has come and that nobody is running (beat)."""
    now = timezone.now()
    due = (
        OutboxMessage.objects.unscoped()
        .filter(
            status=OutboxMessage.Status.PENDING,
            next_attempt_at__lte=now - timedelta(seconds=settings.OUTBOX_RESEND_GRACE_SECONDS),
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    return outbox_publish(ids) if ids else 0


def outbox_prune() -> int:
    """Delete delivered rows older than ``OUTBOX_KEEP_DAYS`` (parked ones stay)."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = (
        OutboxMessage.objects.unscoped()
        .filter(status=OutboxMessage.Status.DONE, created_at__lt=cutoff)
        .delete()
    )
    return deleted
