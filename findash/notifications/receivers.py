"""Subscribers to the ledger's and budgets' write hooks: they add outbox rows inside the
write's transaction, so the rows exist exactly when the write committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from findash.budgets.signals import budget_written
from findash.ledger.signals import ledger_written
from findash.notifications import events
from findash.notifications.models import OutboxMessage
from findash.notifications.outbox import outbox_add
from findash.tenancy.models import Tenant

_ACTION_EVENTS = {
    "created": events.TRANSACTION_CREATED,
    "updated": events.TRANSACTION_UPDATED,
    "deleted": events.TRANSACTION_DELETED,
}


def _check_queue(tenant: Tenant, category_ids: Iterable[int | None], months: set[date]) -> None:
    outbox_add(
        tenant=tenant,
        topic=OutboxMessage.Topic.LEDGER_WRITTEN,
        payload={
            "category_ids": sorted(c for c in category_ids if c is not None),
            "months": sorted(m.isoformat() for m in months),
        },
    )


def _bulk_data(transactions: list[Any]) -> dict[str, Any]:
    dates = [row.date for row in transactions]
    return {
        "count": len(transactions),
        "first_date": min(dates).isoformat() if dates else None,
        "last_date": max(dates).isoformat() if dates else None,
        "account_ids": sorted({row.account_id for row in transactions}),
    }


@receiver(ledger_written, dispatch_uid="notifications.ledger_written")
def on_ledger_written(
    sender: Any,
    *,
    tenant: Tenant,
    action: str,
    transactions: list[Any],
    category_ids: set[int | None],
    months: set[date],
    **kwargs: Any,
) -> None:
    # Always queued (also without budgets): the row records that the tenant wrote,
    # which the beat's rollup verification uses.
    _check_queue(tenant, category_ids, months)
    if action == "bulk_created":
        events.event_publish(
            tenant=tenant,
            event_type=events.TRANSACTIONS_BULK_CREATED,
            data=_bulk_data(transactions),
        )
        return
    event_type = _ACTION_EVENTS[action]
    webhooks = events.subscribed_webhooks(event_type)
    for txn in transactions if webhooks else ():
        data = events.transaction_data(txn)
        if action == "deleted":
            data = {"id": txn.pk, "transfer_id": data["transfer_id"]}
        events.event_publish(tenant=tenant, event_type=event_type, data=data, webhooks=webhooks)


@receiver(budget_written, dispatch_uid="notifications.budget_written")
def on_budget_written(sender: Any, *, budget: Any, **kwargs: Any) -> None:
    # A new or lowered limit can put this month past a level without any spending.
    today = timezone.localdate()
    _check_queue(budget.tenant, [budget.category_id], {today.replace(day=1)})
