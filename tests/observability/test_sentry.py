"""Sentry: off without a DSN; with one, events carry the tenant and no personal data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from findash.observability.sentry import scrub_event, sentry_init
from findash.tenancy.scoping import tenant_scope
from tests.conftest import World


class RecordingTransport(Transport):
    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)


@pytest.fixture
def transport() -> Iterator[RecordingTransport]:
    recording = RecordingTransport()
    yield recording
    sentry_sdk.init()  # back to a disabled client


def test_no_dsn_means_no_sentry() -> None:
    assert sentry_init(dsn="", environment="test", release="x", traces_sample_rate=0.0) is False


def test_events_carry_the_tenant_and_no_user_data(
    world: World, transport: RecordingTransport
) -> None:
    started = sentry_init(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        release="r1",
        traces_sample_rate=0.0,
        transport=transport,
    )
    assert started
    email = "@".join(["owner", "example.com"])  # built at run time: not in the source context
    address = ".".join(["198", "51", "100", "4"])
    sentry_sdk.set_user({"id": "7", "email": email, "ip_address": address})
    with tenant_scope(world.org):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sentry_sdk.capture_exception()
    sentry_sdk.flush()

    events = [item.payload.json for env in transport.envelopes for item in env.items]
    events = [e for e in events if e and e.get("exception")]
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["tenant"] == world.org.public_id
    assert event["tags"]["tenant_type"] == "organization"
    assert "user" not in event
    assert "owner@example.com" not in str(event)
    assert "198.51.100.4" not in str(event)
    assert event["environment"] == "test"


def test_request_data_is_scrubbed() -> None:
    event: Any = {
        "user": {"email": "a@b.c"},
        "request": {
            "headers": {"Authorization": "Bearer secret", "Accept": "application/json"},
            "cookies": {"sessionid": "s"},
            "data": {"password": "p"},
            "query_string": "email=a@b.c",
        },
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed is not None
    assert "user" not in scrubbed
    request = scrubbed["request"]
    assert request["headers"] == {"Authorization": "[Filtered]", "Accept": "application/json"}
    assert "cookies" not in request and "data" not in request and "query_string" not in request
    assert "tags" not in scrubbed, "no tenant in scope, no tenant tag"


def test_a_server_error_is_reported_once_and_counted(
    world: World, transport: RecordingTransport, fake_dashboard: list[int]
) -> None:
    from django.test import Client

    from tests.observability.conftest import metric

    sentry_init(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        release="r1",
        traces_sample_rate=0.0,
        transport=transport,
    )
    labels = {"endpoint": "/financial/dashboard/boom", "tenant_type": "anonymous"}
    errors = metric("dashboard_errors_total", **labels)
    response = Client(raise_request_exception=False).get("/financial/dashboard/boom")
    sentry_sdk.flush()

    assert response.status_code == 500
    assert metric("dashboard_errors_total", **labels) == errors + 1
    events = [item.payload.json for env in transport.envelopes for item in env.items]
    events = [e for e in events if e and e.get("level") in ("error", "fatal")]
    assert len(events) == 1, [e.get("logger") for e in events]
    assert events[0]["exception"]["values"][-1]["value"] == "boom"
