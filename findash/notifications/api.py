"""/webhooks (owners and admins) and /notifications/preferences (each member's own)."""
# No "from __future__ import annotations": ninja reads these signatures at runtime.

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from findash.common.errors import Forbidden
from findash.common.pagination import Pagination
from findash.notifications import selectors, webhooks
from findash.notifications.models import Webhook
from findash.notifications.preferences import preferences_get, preferences_update
from findash.notifications.schemas import (
    PreferencesIn,
    PreferencesOut,
    WebhookCreatedOut,
    WebhookDeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from findash.tenancy.auth import Actor, TenantBearer, request_actor
from findash.tenancy.models import Role

router = Router()

MANAGERS = frozenset({Role.OWNER, Role.ADMIN})


def _manager(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    if actor.role not in MANAGERS:
        raise Forbidden("only the tenant's owners and admins manage webhooks")
    return actor


def _webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    _manager(request)
    return selectors.webhook_get(webhook_id=webhook_id)


class DeliveryFilters(Schema):
    status: Literal["pending", "done", "parked"] | None = None


@router.get("/webhooks", response=list[WebhookOut], tags=["webhooks"])
@paginate(Pagination)
def webhook_list(request: HttpRequest) -> QuerySet[Webhook]:
    _manager(request)
    return selectors.webhook_list()


@router.post("/webhooks", response={201: WebhookCreatedOut}, tags=["webhooks"])
def webhook_create(request: HttpRequest, payload: WebhookIn) -> Status[Webhook]:
    actor = _manager(request)
    return Status(201, webhooks.webhook_create(tenant=actor.tenant, **payload.model_dump()))


@router.get("/webhooks/{webhook_id}", response=WebhookOut, tags=["webhooks"])
def webhook_get(request: HttpRequest, webhook_id: int) -> Webhook:
    return _webhook(request, webhook_id)


@router.patch("/webhooks/{webhook_id}", response=WebhookOut, tags=["webhooks"])
def webhook_update(request: HttpRequest, webhook_id: int, payload: WebhookPatch) -> Webhook:
    actor = _manager(request)
    return webhooks.webhook_update(
        tenant=actor.tenant, webhook_id=webhook_id, changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/webhooks/{webhook_id}", response={204: None}, tags=["webhooks"])
def webhook_delete(request: HttpRequest, webhook_id: int) -> Status[None]:
    webhooks.webhook_delete(tenant=_manager(request).tenant, webhook_id=webhook_id)
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/ping", response={202: None}, tags=["webhooks"])
def webhook_ping(request: HttpRequest, webhook_id: int) -> Status[None]:
    webhooks.webhook_ping(tenant=_manager(request).tenant, webhook_id=webhook_id)
    return Status(202, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries", response=list[WebhookDeliveryOut], tags=["webhooks"]
)
@paginate(Pagination)
def webhook_delivery_list(
    request: HttpRequest, webhook_id: int, filters: Query[DeliveryFilters]
) -> list[dict[str, Any]]:
    webhook = _webhook(request, webhook_id)
    deliveries = selectors.webhook_delivery_list(webhook=webhook, status=filters.status)
    return _LazyDeliveries(deliveries)  # type: ignore[return-value]


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={202: WebhookDeliveryOut},
    tags=["webhooks"],
)
def webhook_redeliver(
    request: HttpRequest, webhook_id: int, delivery_id: int
) -> Status[dict[str, Any]]:
    delivery = webhooks.webhook_redeliver(
        tenant=_manager(request).tenant, webhook_id=webhook_id, delivery_id=delivery_id
    )
    delivery.refresh_from_db()
    return Status(202, selectors.delivery_out(delivery))


class _LazyDeliveries:
    """A sliceable view that turns only the page's rows into delivery answers."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [selectors.delivery_out(m) for m in self.queryset[item]]


@router.get("/notifications/preferences", response=PreferencesOut, tags=["notifications"])
def preferences(request: HttpRequest) -> Any:
    actor = request_actor(request)
    return preferences_get(tenant=actor.tenant, user=actor.user, role=actor.role)


@router.put(
    "/notifications/preferences",
    response=PreferencesOut,
    tags=["notifications"],
    auth=TenantBearer(own_settings=True),
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> Any:
    actor = request_actor(request)
    return preferences_update(
        tenant=actor.tenant,
        user=actor.user,
        role=actor.role,
        changes=payload.model_dump(exclude_unset=True),
    )


@router.patch(
    "/notifications/preferences",
    response=PreferencesOut,
    tags=["notifications"],
    auth=TenantBearer(own_settings=True),
)
def preferences_patch(request: HttpRequest, payload: PreferencesIn) -> Any:
    return preferences_put(request, payload)
