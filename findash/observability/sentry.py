"""Sentry error reporting: on only when SENTRY_DSN is set; no personal data leaves."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.types import Event, Hint

from findash.tenancy.scoping import current_tenant_or_none

_SENSITIVE_HEADERS = {"authorization", "cookie", "x-api-key", "proxy-authorization"}


def scrub_event(event: Event, hint: Hint) -> Event | None:
    """Keep the tenant (as a tag) and the stack; drop who the user is and what they sent."""
    tenant = current_tenant_or_none()
    if tenant is not None:
        tags: dict[str, Any] = dict(event.get("tags") or {})
        tags["tenant"] = tenant.public_id
        tags["tenant_type"] = tenant.tenant_type
        event["tags"] = tags
    event.pop("user", None)
    request: dict[str, Any] | None = event.get("request")
    if request is not None:
        for field in ("cookies", "data", "env"):
            request.pop(field, None)
        headers = request.get("headers") or {}
        request["headers"] = {
            k: ("[Filtered]" if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()
        }
        request.pop("query_string", None)
    return event


def sentry_init(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float, **options: Any
) -> bool:
    """Start the SDK when a DSN is configured; answer whether it was started."""
    if not dsn:
        return False
    # A 5xx is reported once, as its exception; not again as its access-log line.
    ignore_logger("findash.access")
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        include_local_variables=False,  # locals can hold request bodies, emails, passwords
        max_request_body_size="never",
        integrations=[DjangoIntegration()],
        before_send=scrub_event,
        **options,
    )
    return True
