"""Budget alerts at write time: once per budget, month and level, to the members who want them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from findash.budgets import services as budgets
from findash.ledger import services as ledger
from findash.notifications.models import OutboxMessage
from findash.notifications.tasks import budget_alerts_dispatch
from findash.tenancy.models import Role
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.notifications.conftest import Groceries


def _subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


def test_crossing_the_threshold_emails_the_owner_once_with_text_and_html(
    groceries: Groceries, committed: Any
) -> None:
    committed(lambda: groceries.spend("79.99"))
    assert mail.outbox == []
    committed(lambda: groceries.spend("5.01"))  # 85.00 of 100.00
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    message = mail.outbox[0]
    month = groceries.today.strftime("%Y-%m")
    assert message.subject == f"[findash] Budget warning: Groceries {month} at 85.00%"
    for expected in ("Groceries", month, "85.00 USD", "100.00 USD", "85.00%"):
        assert expected in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<td>85.00 USD</td>" in str(html) and "<td>100.00 USD</td>" in str(html)
    assert groceries.alerts() == [(month, "warning")]


def test_each_level_is_announced_once_even_after_dropping_below_and_crossing_again(
    groceries: Groceries, committed: Any
) -> None:
    committed(lambda: groceries.spend("85.00"))
    committed(lambda: groceries.spend("5.00"))  # still warning: nothing new
    committed(lambda: groceries.spend("30.00"))  # 120 %: over
    refund = committed(lambda: groceries.spend("-50.00"))  # back to 70 %
    committed(lambda: groceries.spend("40.00"))  # 110 % again
    committed(
        lambda: ledger.transaction_delete(tenant=groceries.world.org, transaction_id=refund.pk)
    )
    subjects = _subjects()
    assert len(subjects) == 2
    assert "Budget warning" in subjects[0] and "85.00%" in subjects[0]
    assert "Over budget" in subjects[1] and "120.00%" in subjects[1]
    month = groceries.today.strftime("%Y-%m")
    assert groceries.alerts() == [(month, "over"), (month, "warning")]


def test_a_jump_straight_past_the_limit_sends_over_only(
    groceries: Groceries, committed: Any
) -> None:
    committed(lambda: groceries.spend("100.01"))
    assert len(mail.outbox) == 1
    assert "Over budget" in mail.outbox[0].subject and "100.01%" in mail.outbox[0].subject
    assert [level for _, level in groceries.alerts()] == ["over", "warning"]


def test_exactly_100_percent_is_a_warning_not_over(groceries: Groceries, committed: Any) -> None:
    committed(lambda: groceries.spend("100.00"))
    assert [level for _, level in groceries.alerts()] == ["warning"]


def test_a_rolled_back_write_queues_and_sends_nothing(groceries: Groceries, committed: Any) -> None:
    def failing_write() -> None:
        with transaction.atomic():
            groceries.spend("95.00")
            raise RuntimeError("the request failed after the write")

    with pytest.raises(RuntimeError):
        committed(failing_write)
    assert mail.outbox == []
    assert groceries.outbox() == []
    assert groceries.alerts() == []


def test_bulk_import_transfer_update_and_subcategory_writes_alert_too(
    groceries: Groceries, committed: Any
) -> None:
    org = groceries.world.org
    child = factories.make_category(org, name="Bakery", parent=groceries.category)
    row = ledger.TransactionInput(
        account_id=groceries.account.pk,
        date=groceries.today,
        amount=Decimal("-45.00"),
        category_id=child.pk,
    )
    committed(lambda: ledger.transaction_bulk_create(tenant=org, rows=[row, row]))
    assert len(mail.outbox) == 1 and "90.00%" in mail.outbox[0].subject  # a child's spending
    small = committed(lambda: groceries.spend("1.00"))
    committed(
        lambda: ledger.transaction_update(
            tenant=org,
            transaction_id=small.pk,
            changes={"amount": Decimal("-20.00")},
        )
    )
    assert len(mail.outbox) == 2 and "110.00%" in mail.outbox[1].subject
    other = factories.make_account(org)
    committed(
        lambda: ledger.transfer_create(
            tenant=org,
            from_account_id=groceries.account.pk,
            to_account_id=other.pk,
            date=groceries.today,
            amount=Decimal("500.00"),
        )
    )
    assert len(mail.outbox) == 2  # a transfer is never spending


def test_past_months_do_not_alert(groceries: Groceries, committed: Any) -> None:
    with tenant_scope(groceries.world.org):
        groceries.budget.start_date = groceries.today.replace(day=1) - timedelta(days=400)
        groceries.budget.save()
    last_month = groceries.today.replace(day=1) - timedelta(days=1)
    committed(lambda: groceries.spend("150.00", day=last_month))
    assert mail.outbox == []
    assert groceries.alerts() == []


def test_lowering_a_budget_below_the_spending_alerts(groceries: Groceries, committed: Any) -> None:
    committed(lambda: groceries.spend("60.00"))
    groceries.budget.refresh_from_db()
    committed(
        lambda: budgets.budget_update(
            tenant=groceries.world.org,
            budget_id=groceries.budget.pk,
            changes={"amount": Decimal("50.00")},
        )
    )
    assert len(mail.outbox) == 1 and "120.00%" in mail.outbox[0].subject


def test_recipients_follow_roles_and_preferences(groceries: Groceries, committed: Any) -> None:
    world = groceries.world
    admin = factories.make_user("admin")
    admin.email = "admin@example.com"
    admin.save()
    factories.add_member(world.org, admin, Role.ADMIN)
    world.outsider.email = "outsider@example.com"
    world.outsider.save()
    member = world.client(world.member, world.org)
    owner = world.client(world.owner, world.org)
    assert member.put("/notifications/preferences", {"budget_alerts": True}).status_code == 200
    assert owner.put("/notifications/preferences", {"budget_alerts": False}).status_code == 200
    committed(lambda: groceries.spend("90.00"))
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "member@example.com"]


def test_the_daily_sweep_finds_nothing_new_after_write_time_alerts(
    groceries: Groceries, committed: Any
) -> None:
    committed(lambda: groceries.spend("85.00"))
    assert len(mail.outbox) == 1
    committed(budget_alerts_dispatch)
    assert len(mail.outbox) == 1
    # A budget over before the feature existed is found by the sweep.
    with tenant_scope(groceries.world.org):
        groceries.budget.amount = Decimal("80.00")
        groceries.budget.save()
    committed(budget_alerts_dispatch)
    assert len(mail.outbox) == 2 and "106.25%" in mail.outbox[1].subject


def test_every_write_is_recorded_in_the_outbox_once_done(
    groceries: Groceries, committed: Any
) -> None:
    committed(lambda: groceries.spend("10.00"))
    [row] = groceries.outbox(topic=OutboxMessage.Topic.LEDGER_WRITTEN)
    assert row.status == OutboxMessage.Status.DONE and row.attempts == 1
    assert row.payload["category_ids"] == [groceries.category.pk]
    assert row.payload["months"] == [groceries.today.replace(day=1).isoformat()]
