"""Periodic work: resend, poison rows, rollup verification, monthly summary, cache warming."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from findash.ledger.models import MonthlyRollup
from findash.notifications import outbox, tasks
from findash.notifications.models import OutboxMessage
from findash.observability.tasks import dashboards_warm
from findash.tenancy.scoping import tenant_scope
from tests.notifications.conftest import Groceries


def _pending_row(groceries: Groceries, **fields: Any) -> OutboxMessage:
    with tenant_scope(groceries.world.org):
        values: dict[str, Any] = {
            "topic": OutboxMessage.Topic.LEDGER_WRITTEN,
            "payload": {"category_ids": [groceries.category.pk], "months": []},
            "next_attempt_at": timezone.now() - timedelta(minutes=1),
            **fields,
        }
        return OutboxMessage.objects.create(**values)


def test_the_resend_runs_rows_whose_publish_was_lost(groceries: Groceries) -> None:
    row = _pending_row(groceries)  # as if the broker had been down at commit time
    fresh = _pending_row(groceries, next_attempt_at=timezone.now())  # its publish may be in flight
    assert tasks.outbox_resend.delay().get() == 1
    row.refresh_from_db()
    fresh.refresh_from_db()
    assert row.status == "done" and fresh.status == "pending"
    assert outbox.outbox_process(row.pk) == "skipped"  # a redelivered task does nothing
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_poison_row_is_retried_a_bounded_number_of_times_then_parked(
    groceries: Groceries, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = _pending_row(groceries)
    OutboxMessage.objects.unscoped().filter(pk=row.pk).update(payload={"months": ["not-a-date"]})
    results = []
    for _ in range(5):
        OutboxMessage.objects.unscoped().filter(pk=row.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=1)
        )
        results.append(outbox.outbox_process(row.pk))
    assert results == ["failed", "failed", "failed", "skipped", "skipped"]
    row.refresh_from_db()
    assert row.status == "parked" and row.attempts == 3
    assert "ValueError" in row.last_error and "not-a-date" in row.last_error
    assert any("parked after 3 attempts" in r.getMessage() for r in caplog.records)


def test_a_row_whose_worker_died_is_taken_again_after_its_lease_then_parked(
    groceries: Groceries, settings: Any
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = _pending_row(groceries, attempts=2, locked_until=timezone.now() + timedelta(minutes=1))
    assert outbox.outbox_process(row.pk) == "skipped"  # still leased to the other worker
    OutboxMessage.objects.unscoped().filter(pk=row.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox.outbox_process(row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == "parked" and "died" in row.last_error


def test_old_delivered_rows_are_pruned_parked_ones_kept(groceries: Groceries) -> None:
    done = _pending_row(groceries, status="done")
    parked = _pending_row(groceries, status="parked")
    old = timezone.now() - timedelta(days=40)
    OutboxMessage.objects.unscoped().update(created_at=old)
    assert tasks.outbox_prune.delay().get() == 1
    assert list(OutboxMessage.objects.unscoped().values_list("pk", flat=True)) == [parked.pk]
    assert done.pk != parked.pk


def test_rollups_of_recently_written_tenants_are_verified(
    groceries: Groceries, committed: Any, caplog: pytest.LogCaptureFixture
) -> None:
    committed(lambda: groceries.spend("10.00"))
    assert tasks.rollups_verify_recent.delay().get() == 1
    assert not [r for r in caplog.records if "rollup verification" in r.getMessage()]
    MonthlyRollup.objects.unscoped().filter(tenant=groceries.world.org).update(count=99)
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        tasks.rollups_verify_recent.delay()
    assert any(
        "rollup verification" in r.getMessage() and groceries.world.org.public_id in r.getMessage()
        for r in caplog.records
    )
    OutboxMessage.objects.unscoped().update(created_at=timezone.now() - timedelta(hours=3))
    assert tasks.rollups_verify_recent.delay().get() == 0


def test_the_monthly_summary_goes_once_to_members_who_opted_in(
    groceries: Groceries, committed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = groceries.world
    last_month = groceries.today.replace(day=1) - timedelta(days=1)
    with tenant_scope(world.org):
        groceries.budget.start_date = last_month.replace(day=1)
        groceries.budget.save()
    committed(lambda: groceries.spend("42.50", day=last_month))
    member = world.client(world.member, world.org)
    member.put("/notifications/preferences", {"monthly_summary": True})
    committed(tasks.monthly_summary_dispatch)
    committed(tasks.monthly_summary_dispatch)  # a second beat run sends nothing new
    [message] = mail.outbox
    assert message.to == ["member@example.com"]
    assert f"summary of {last_month:%Y-%m}" in message.subject
    assert "Expenses:     42.50" in message.body
    assert "Groceries: spent 42.50 of 100.00 USD (42.50%), ok" in message.body
    html, _ = message.alternatives[0]
    assert "42.50 USD" in str(html)


def test_dashboards_of_active_tenants_are_warmed(
    groceries: Groceries, monkeypatch: pytest.MonkeyPatch
) -> None:
    from findash.observability import tasks as obs_tasks

    monkeypatch.setattr(obs_tasks, "active_tenant_ids", lambda: {groceries.world.org.pk})
    assert dashboards_warm.delay().get() == 1
    assert dashboards_warm.delay().get() == 0  # cached now: the next request is a hit
    owner = groceries.world.client(groceries.world.owner, groceries.world.org)
    answer = owner.get("/financial/dashboard")
    assert answer.status_code == 200


def test_no_active_tenants_means_no_warming(monkeypatch: pytest.MonkeyPatch) -> None:
    from findash.observability import tasks as obs_tasks

    monkeypatch.setattr(obs_tasks, "active_tenant_ids", lambda: None)
    assert dashboards_warm.delay().get() == 0


def test_tasks_for_a_deleted_tenant_do_nothing(db: None) -> None:
    assert tasks.budget_alerts_send.delay(999_999).get() == 0
    assert tasks.rollups_verify_tenant.delay(999_999).get() == 0
    assert tasks.monthly_summary_send.delay(999_999, date(2026, 1, 1).isoformat()).get() == 0


def test_health_shows_the_outbox_degraded_while_due_work_waits(groceries: Groceries) -> None:
    anon = groceries.world.client(groceries.world.owner)
    body = anon.get("/health/dashboard").json()
    assert body["services"]["outbox"]["status"] == "healthy" and body["degraded"] == []
    _pending_row(groceries, next_attempt_at=timezone.now() - timedelta(minutes=10))
    answer = anon.get("/health/dashboard")
    assert answer.status_code == 200  # writes still work: degraded, not failing
    body = answer.json()
    assert body["services"]["outbox"]["status"] == "unhealthy"
    assert body["degraded"] == ["outbox"] and body["status"] == "healthy"


def test_metrics_count_pending_and_parked_outbox_rows(groceries: Groceries) -> None:
    _pending_row(groceries)
    _pending_row(groceries, next_attempt_at=timezone.now() - timedelta(minutes=10))
    _pending_row(groceries, status="parked")
    _pending_row(groceries, status="done")
    text = groceries.world.client(groceries.world.owner).get("/metrics").content.decode()
    assert 'outbox_rows{status="pending"} 2.0' in text
    assert 'outbox_rows{status="parked"} 1.0' in text
    assert 'dashboard_health_status{service="outbox"} 0.0' in text


def test_long_retry_delays_wait_for_the_resend_instead_of_a_broker_countdown(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(outbox.current_app, "send_task", lambda *a, **kw: sent.append(kw))
    settings.OUTBOX_DISPATCH = "celery"
    assert outbox.outbox_publish([1], countdown=60) == 1
    assert sent[0]["countdown"] == 60
    assert outbox.outbox_publish([1], countdown=1800) == 0
    assert len(sent) == 1
