"""Budget alert emails go to the tenant's owners, once per budget, month and status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from smtplib import SMTPException
from typing import Any

import pytest
from celery.exceptions import Retry
from django.core import mail

from findash.notifications import services
from findash.notifications.models import BudgetAlert
from findash.notifications.tasks import budget_alerts_dispatch, budget_alerts_send
from findash.tenancy.models import Tenant
from tests import factories
from tests.conftest import World

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)


@pytest.fixture
def groceries(world: World) -> Any:
    world.owner.email = "owner@example.com"
    world.owner.save()
    world.member.email = "member@example.com"
    world.member.save()
    category = factories.make_category(world.org, name="Groceries")
    account = factories.make_account(world.org)
    factories.make_budget(
        world.org, category, amount=Decimal("100.00"), start_date=date(2026, 1, 1)
    )
    return lambda amount: factories.make_transaction(
        world.org, account, category=category, amount=-Decimal(amount), date=TODAY
    )


def _alerts(tenant: Tenant) -> list[tuple[str, str]]:
    rows = BudgetAlert.objects.unscoped().filter(tenant=tenant)
    return sorted((f"{r.month:%Y-%m}", r.status) for r in rows)


def test_warning_emails_only_the_owners(world: World, groceries: Any) -> None:
    groceries("85.00")
    assert budget_alerts_send.delay(world.org.pk).get() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert "2026-11" in message.subject and "Acme" in message.subject
    assert "Groceries (2026-11): WARNING, spent 85.00 of 100.00 USD (85.00%)" in message.body
    assert _alerts(world.org) == [("2026-11", "warning")]


def test_an_alert_is_sent_once_then_again_when_it_goes_over(world: World, groceries: Any) -> None:
    groceries("85.00")
    budget_alerts_send.delay(world.org.pk)
    assert budget_alerts_send.delay(world.org.pk).get() == 0
    assert len(mail.outbox) == 1
    groceries("30.00")
    assert budget_alerts_send.delay(world.org.pk).get() == 1
    assert len(mail.outbox) == 2
    assert "over budget" in mail.outbox[1].subject
    assert "OVER, spent 115.00 of 100.00 USD (115.00%)" in mail.outbox[1].body


def test_budgets_below_threshold_send_nothing(world: World, groceries: Any) -> None:
    groceries("79.99")
    assert budget_alerts_send.delay(world.org.pk).get() == 0
    assert mail.outbox == []
    assert _alerts(world.org) == []


def test_other_tenants_budgets_never_appear(world: World, groceries: Any) -> None:
    groceries("10.00")
    theirs = factories.make_category(world.outsider_personal, name="Yacht fuel")
    account = factories.make_account(world.outsider_personal)
    factories.make_budget(world.outsider_personal, theirs, amount=Decimal("1.00"))
    factories.make_transaction(
        world.outsider_personal, account, category=theirs, amount=Decimal("-50.00"), date=TODAY
    )
    world.outsider.email = "outsider@example.com"
    world.outsider.save()
    assert budget_alerts_send.delay(world.org.pk).get() == 0
    assert budget_alerts_send.delay(world.outsider_personal.pk).get() == 1
    assert [m.to for m in mail.outbox] == [["outsider@example.com"]]
    assert "Groceries" not in mail.outbox[0].body and "Yacht fuel" in mail.outbox[0].body


def test_no_owner_email_means_no_mail_and_nothing_recorded(world: World, groceries: Any) -> None:
    world.owner.email = ""
    world.owner.save()
    groceries("150.00")
    assert budget_alerts_send.delay(world.org.pk).get() == 0
    assert mail.outbox == [] and _alerts(world.org) == []


def test_failed_send_records_nothing_so_a_later_run_sends(
    world: World, groceries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    groceries("150.00")

    def broken(*args: Any, **kwargs: Any) -> int:
        raise SMTPException("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    with pytest.raises(Retry):  # the task asks Celery to try again later
        budget_alerts_send.delay(world.org.pk)
    assert _alerts(world.org) == []
    monkeypatch.undo()
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)
    assert budget_alerts_send.delay(world.org.pk).get() == 1
    assert _alerts(world.org) == [("2026-11", "over")]


def test_missing_tenant_is_skipped(db: None) -> None:
    assert budget_alerts_send.delay(987654).get() == 0


def test_dispatch_runs_every_tenant_with_budgets(world: World, groceries: Any) -> None:
    groceries("95.00")
    theirs = factories.make_category(world.outsider_personal)
    factories.make_budget(world.outsider_personal, theirs)
    assert budget_alerts_dispatch.delay().get() == 2
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


def test_admin_lists_sent_alerts_read_only(world: World, groceries: Any) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    groceries("90.00")
    budget_alerts_send.delay(world.org.pk)
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-pw-pw-pw"))
    page = client.get("/admin/notifications/budgetalert/")
    assert page.status_code == 200 and world.org.public_id in page.content.decode()
    assert client.get("/admin/notifications/budgetalert/add/").status_code == 403
    alert = BudgetAlert.objects.unscoped().get()
    view = client.get(f"/admin/notifications/budgetalert/{alert.pk}/change/")
    assert view.status_code == 200 and 'name="status"' not in view.content.decode()


def test_deleting_a_budget_deletes_its_alert_records(world: World, groceries: Any) -> None:
    groceries("95.00")
    budget_alerts_send.delay(world.org.pk)
    budget_id = BudgetAlert.objects.unscoped().get().budget_id
    assert world.client(world.owner, world.org).delete(f"/budgets/{budget_id}").status_code == 204
    assert _alerts(world.org) == []
