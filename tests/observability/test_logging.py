"""One JSON access-log line per request, with every field the operations guide names."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from django.conf import settings

from tests.conftest import ApiClient, World

URL = "/financial/dashboard/fake"
FIELDS = {
    "timestamp",
    "level",
    "service",
    "tenant_type",
    "tenant_id",
    "endpoint",
    "duration_ms",
    "cache_hit",
    "response_size",
    "request_id",
    "method",
    "status",
}


def _configured_formatter() -> logging.Formatter:
    options: dict[str, Any] = dict(settings.LOGGING["formatters"]["structured"])
    formatter: logging.Formatter = options.pop("()")(**options)
    return formatter


@pytest.fixture
def access_lines() -> Iterator[io.StringIO]:
    """The access logger's output through the configured (JSON) formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_configured_formatter())
    logger = logging.getLogger("findash.access")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_dashboard_request_logs_one_json_line_with_every_field(
    world: World, fake_dashboard: list[int], access_lines: io.StringIO
) -> None:
    client = world.client(world.owner, world.org)
    response = client.get(URL, HTTP_X_REQUEST_ID="req-abc-123")
    client.get(URL)

    first, second = _lines(access_lines)
    assert set(first) >= FIELDS
    assert first["level"] == "INFO"
    assert first["service"] == "dashboard"
    assert first["tenant_type"] == "organization"
    assert first["tenant_id"] == world.org.public_id
    assert first["endpoint"] == URL
    assert first["method"] == "GET"
    assert first["status"] == 200
    assert first["request_id"] == "req-abc-123" == response["X-Request-ID"]
    assert first["response_size"] == len(response.content)
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert first["timestamp"].endswith("Z")
    assert first["cache_hit"] is False
    assert second["cache_hit"] is True
    assert second["request_id"] != first["request_id"]


def test_a_request_id_is_made_up_when_missing_or_unsafe(
    anon: ApiClient, access_lines: io.StringIO
) -> None:
    plain = anon.client.get("/health")
    unsafe = anon.client.get("/health", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(plain["X-Request-ID"]) == 32
    assert unsafe["X-Request-ID"] != "bad id\nwith newline"
    lines = _lines(access_lines)
    assert [line["request_id"] for line in lines] == [
        plain["X-Request-ID"],
        unsafe["X-Request-ID"],
    ]
    assert lines[0]["service"] == "api"
    assert lines[0]["endpoint"] == "/health"
    assert lines[0]["tenant_id"] is None


def test_log_lines_inside_a_request_carry_its_request_id(
    world: World, access_lines: io.StringIO
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        access_lines and logging.getLogger("findash.access").handlers[-1].formatter
    )
    logger = logging.getLogger("findash.database")
    logger.addHandler(handler)
    try:
        from findash.observability.db_errors import database_unavailable

        structlog.contextvars.bind_contextvars(request_id="inner-1")
        database_unavailable(None, RuntimeError("gone"))  # type: ignore[arg-type]
    finally:
        structlog.contextvars.clear_contextvars()
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["request_id"] == "inner-1"
    assert line["level"] == "ERROR"
    assert line["logger"] == "findash.database"
    assert line["event"] == "database unavailable: gone"


def test_exceptions_are_logged_as_frames_without_local_variables() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_configured_formatter())
    logger = logging.getLogger("findash.tests")
    logger.addHandler(handler)
    try:
        password = "".join(["hunter", "2"])  # noqa: F841 - a local that must not be logged
        raise ValueError("bad")
    except ValueError:
        logger.exception("it failed")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    [exception] = line["exception"]
    assert exception["exc_type"] == "ValueError"
    assert exception["frames"][-1]["name"].startswith("test_exceptions")
    assert "hunter2" not in stream.getvalue()
    assert "locals" not in exception["frames"][-1]
