"""Webhook events: one JSON envelope per event, one outbox row per subscribed webhook.

Envelope: ``{"id": "evt_…", "type": "…", "created_at": "…Z", "tenant_id": "org_4",
"data": {…}}``. The types are listed in :data:`EVENT_TYPES` and the README.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from findash.common.money import round_money
from findash.notifications.models import OutboxMessage, Webhook
from findash.notifications.outbox import outbox_add
from findash.tenancy.models import Tenant

BUDGET_THRESHOLD_CROSSED = "budget.threshold_crossed"
TRANSACTION_CREATED = "transaction.created"
TRANSACTION_UPDATED = "transaction.updated"
TRANSACTION_DELETED = "transaction.deleted"
TRANSACTIONS_BULK_CREATED = "transactions.bulk_created"
WEBHOOK_PING = "webhook.ping"
EVENT_TYPES = (
    BUDGET_THRESHOLD_CROSSED,
    TRANSACTION_CREATED,
    TRANSACTION_UPDATED,
    TRANSACTION_DELETED,
    TRANSACTIONS_BULK_CREATED,
    WEBHOOK_PING,
)


def money_text(value: Decimal, currency: str) -> str:
    return str(round_money(value, currency))


def event_envelope(*, tenant: Tenant, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": event_type,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "tenant_id": tenant.public_id,
        "data": data,
    }


def subscribed_webhooks(event_type: str) -> list[Webhook]:
    """The acting tenant's active webhooks that want this event."""
    return [w for w in Webhook.objects.filter(is_active=True) if w.wants(event_type)]


def event_publish(
    *,
    tenant: Tenant,
    event_type: str,
    data: dict[str, Any],
    webhooks: list[Webhook] | None = None,
) -> int:
    """Queue the event for every subscribed webhook; call inside the causing transaction."""
    targets = subscribed_webhooks(event_type) if webhooks is None else webhooks
    if not targets:
        return 0
    envelope = event_envelope(tenant=tenant, event_type=event_type, data=data)
    for webhook in targets:
        outbox_add(
            tenant=tenant,
            topic=OutboxMessage.Topic.WEBHOOK,
            payload={"event": envelope},
            key=f"webhook:{webhook.pk}:{envelope['id']}",
            webhook=webhook,
        )
    return len(targets)


def transaction_data(txn: Any) -> dict[str, Any]:
    return {
        "id": txn.pk,
        "account_id": txn.account_id,
        "date": txn.date.isoformat(),
        "amount": money_text(txn.amount, txn.currency),
        "currency": txn.currency,
        "category_id": txn.category_id,
        "description": txn.description,
        "payee": txn.payee,
        "transfer_id": str(txn.transfer_id) if txn.transfer_id else None,
    }
