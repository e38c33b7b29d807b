"""Notification fixtures: a budget of 100.00 USD on Groceries this month, real SMTP and
webhook servers, and ``spend`` writing through the ledger service as the API does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from findash.budgets.models import Budget
from findash.ledger import services as ledger
from findash.ledger.models import Account, Category, Transaction
from findash.notifications.models import BudgetAlert, OutboxMessage
from findash.tenancy.scoping import tenant_scope
from tests import factories
from tests.conftest import World
from tests.notifications.receivers import (
    SmtpServer,
    WebhookReceiver,
    smtp_start,
    webhook_receiver_start,
)


@dataclass
class Groceries:
    world: World
    account: Account
    category: Category
    budget: Budget
    today: date

    def spend(self, amount: str, *, day: date | None = None, category: Any = None) -> Transaction:
        with tenant_scope(self.world.org):  # the scope the API's auth enters
            return ledger.transaction_create(
                tenant=self.world.org,
                account_id=self.account.pk,
                date=day or self.today,
                amount=-Decimal(amount),
                category_id=(category or self.category).pk,
            )

    def alerts(self) -> list[tuple[str, str]]:
        rows = BudgetAlert.objects.unscoped().filter(tenant=self.world.org)
        return sorted((f"{r.month:%Y-%m}", r.status) for r in rows)

    def outbox(self, **filters: Any) -> list[OutboxMessage]:
        return list(OutboxMessage.objects.unscoped().filter(tenant=self.world.org, **filters))


@pytest.fixture
def groceries(world: World) -> Groceries:
    world.owner.email = "owner@example.com"
    world.owner.save()
    world.member.email = "member@example.com"
    world.member.save()
    world.viewer.email = "viewer@example.com"
    world.viewer.save()
    today = timezone.localdate()
    category = factories.make_category(world.org, name="Groceries")
    return Groceries(
        world=world,
        account=factories.make_account(world.org),
        category=category,
        budget=factories.make_budget(
            world.org, category, amount=Decimal("100.00"), start_date=today.replace(day=1)
        ),
        today=today,
    )


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., Any], world: World
) -> Callable[[Callable[[], Any]], Any]:
    """Run a write of the organization, in its scope as a request would, and then its
    on-commit work, as a real commit would (outside that scope, as after a response)."""

    def run(write: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True), tenant_scope(world.org):
            return write()

    return run


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server, controller = smtp_start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    found, server = webhook_receiver_start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
