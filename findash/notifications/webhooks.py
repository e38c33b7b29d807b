"""Webhooks: URL checks, signing, delivery (an outbox handler) and the CRUD services.

Every body is signed ``X-Findash-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>``.
Delivery runs off the request path with a timeout; a non-2xx answer, a redirect or a
network error is a failed attempt, retried with exponential backoff (``outbox``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from findash.common.errors import InvalidInput
from findash.common.patches import patch_changes
from findash.notifications.events import EVENT_TYPES, WEBHOOK_PING, event_publish
from findash.notifications.models import OutboxMessage, Webhook, WebhookAttempt
from findash.notifications.outbox import outbox_handler, outbox_publish
from findash.notifications.selectors import webhook_delivery_get, webhook_get
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import scope_require

SIGNATURE_HEADER = "X-Findash-Signature"
USER_AGENT = "findash-webhooks/1"


class WebhookDeliveryFailed(Exception):
    pass


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_body(event: Mapping[str, Any]) -> bytes:
    """The raw body: the same bytes on every retry, so the signature is stable too."""
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


def _blocked_address(host: str, port: int) -> str | None:
    """Why ``host`` may not be called, or None when every address it has is public."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return f"host {host!r} does not resolve"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            return f"host {host!r} is a private, loopback or reserved address ({address})"
    return None


def webhook_url_check(url: str, field: Sequence[str | int]) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        raise InvalidInput(field, "the URL must start with http:// or https://", "url_scheme")
    if not parts.hostname:
        raise InvalidInput(field, "the URL has no host", "url_host")
    if parts.username or parts.password:
        raise InvalidInput(field, "credentials in the URL are not allowed; use the secret", "url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InvalidInput(field, "the URL's port is not a number", "url") from exc
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        reason = _blocked_address(parts.hostname, port)
        if reason:
            raise InvalidInput(field, reason, "url_private")
    return url.strip()


def _events(events: list[str], field: Sequence[str | int]) -> list[str]:
    if not events:
        raise InvalidInput(field, "name at least one event type (or '*')", "events")
    unknown = sorted(set(events) - {*EVENT_TYPES, "*"})
    if unknown:
        raise InvalidInput(
            field, f"unknown event type(s) {unknown}; known: {', '.join(EVENT_TYPES)}", "events"
        )
    return sorted(set(events))


def _secret(secret: str | None, field: Sequence[str | int]) -> str:
    if secret is None:
        return "whsec_" + secrets.token_urlsafe(32)
    if not 16 <= len(secret) <= 200:
        raise InvalidInput(field, "the secret must be 16 to 200 characters", "secret")
    return secret


def webhook_create(
    *,
    tenant: Tenant,
    url: str,
    events: list[str],
    secret: str | None = None,
    description: str = "",
    is_active: bool = True,
) -> Webhook:
    scope_require(tenant)
    webhook = Webhook(
        tenant=tenant,
        url=webhook_url_check(url, ["url"]),
        events=_events(events, ["events"]),
        secret=_secret(secret, ["secret"]),
        description=description,
        is_active=is_active,
    )
    with transaction.atomic():
        webhook.save()
    return webhook


def webhook_update(*, tenant: Tenant, webhook_id: int, changes: Mapping[str, Any]) -> Webhook:
    scope_require(tenant)
    webhook = webhook_get(webhook_id=webhook_id)
    changes = patch_changes(changes, null_message="{field} cannot be null")
    if "url" in changes:
        webhook.url = webhook_url_check(changes["url"], ["url"])
    if "events" in changes:
        webhook.events = _events(changes["events"], ["events"])
    if "secret" in changes:
        webhook.secret = _secret(changes["secret"], ["secret"])
    for field in ("description", "is_active"):
        if field in changes:
            setattr(webhook, field, changes[field])
    with transaction.atomic():
        webhook.save()
    return webhook


def webhook_delete(*, tenant: Tenant, webhook_id: int) -> None:
    scope_require(tenant)
    with transaction.atomic():
        webhook_get(webhook_id=webhook_id).delete()


def webhook_ping(*, tenant: Tenant, webhook_id: int) -> None:
    """Queue a ``webhook.ping`` event to this webhook (whatever events it subscribed to)."""
    scope_require(tenant)
    webhook = webhook_get(webhook_id=webhook_id)
    with transaction.atomic():
        event_publish(
            tenant=tenant,
            event_type=WEBHOOK_PING,
            data={"webhook_id": webhook.pk, "url": webhook.url},
            webhooks=[webhook],
        )


def webhook_redeliver(*, tenant: Tenant, webhook_id: int, delivery_id: int) -> OutboxMessage:
    """Queue a delivered or parked event again, with a fresh attempt budget."""
    scope_require(tenant)
    webhook = webhook_get(webhook_id=webhook_id)
    message = webhook_delivery_get(webhook=webhook, delivery_id=delivery_id)
    with transaction.atomic():
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.locked_until = None
        message.save()
        transaction.on_commit(lambda: outbox_publish([message.pk]))
    return message


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is answered as it is: a failed attempt


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    # The scheme is http(s), checked at creation and again before each delivery.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # nosec B310
            response.read(65536)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@outbox_handler(OutboxMessage.Topic.WEBHOOK, in_transaction=False)
def webhook_deliver(message: OutboxMessage) -> None:
    webhook = message.webhook
    if webhook is None or not webhook.is_active:
        return  # the webhook was switched off: nothing to deliver
    event = message.payload["event"]
    body = event_body(event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(webhook.secret, body),
        "X-Findash-Event": str(event["type"]),
        "X-Findash-Event-Id": str(event["id"]),
        "X-Findash-Delivery": str(message.pk),
        "X-Findash-Attempt": str(message.attempts),
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    try:
        webhook_url_check(webhook.url, ["url"])  # DNS may have changed since it was saved
        status_code = _post(webhook.url, body, headers)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except InvalidInput as exc:
        error = f"refused: {exc.msg}"
    except (OSError, ValueError) as exc:  # timeouts, refused connections, bad responses
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    WebhookAttempt.objects.create(
        tenant_id=message.tenant_id,
        message=message,
        number=message.attempts,
        status_code=status_code,
        error=error[:2000],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if error:
        raise WebhookDeliveryFailed(error)
