"""Reads of webhooks and their deliveries, in the acting tenant's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from findash.common.errors import NotFound
from findash.notifications.models import OutboxMessage, Webhook, WebhookAttempt
from findash.tenancy.scoping import get_owned_or_404


def webhook_list() -> QuerySet[Webhook]:
    return Webhook.objects.order_by("id")


def webhook_get(*, webhook_id: int) -> Webhook:
    return get_owned_or_404(Webhook, webhook_id, label="webhook")


def webhook_delivery_list(*, webhook: Webhook, status: str | None = None) -> QuerySet[Any]:
    deliveries = OutboxMessage.objects.filter(webhook=webhook).prefetch_related(
        Prefetch("tries", queryset=WebhookAttempt.objects.unscoped().order_by("number"))
    )
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-id")


def webhook_delivery_get(*, webhook: Webhook, delivery_id: int) -> OutboxMessage:
    delivery = get_owned_or_404(OutboxMessage, delivery_id, label="delivery")
    if delivery.webhook_id != webhook.pk:
        raise NotFound(f"delivery {delivery_id} not found")
    return delivery


def delivery_out(message: OutboxMessage) -> dict[str, Any]:
    event = message.payload.get("event", {})
    pending = message.status == OutboxMessage.Status.PENDING
    return {
        "id": message.pk,
        "event_id": event.get("id", ""),
        "event_type": event.get("type", ""),
        "status": message.status,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at if pending else None,
        "last_error": message.last_error,
        "created_at": message.created_at,
        "delivered_at": message.done_at,
        "event": event,
        "tries": list(message.tries.all()),
    }
