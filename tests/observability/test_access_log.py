"""The access line written directly reads exactly like the one structlog writes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings

from findash.observability import access_log

FIELDS: dict[str, Any] = {
    "service": "dashboard",
    "request_id": "abc",
    "method": "GET",
    "path": "/financial/dashboard",
    "status": 304,
    "duration_ms": 1.5,
    "tenant_id": "user_1",
    "cache_hit": True,
}


def _formatter() -> logging.Formatter:
    options: dict[str, Any] = dict(settings.LOGGING["formatters"]["structured"])
    formatter: logging.Formatter = options.pop("()")(**options)
    return formatter


@contextmanager
def only_console() -> Iterator[io.StringIO]:
    """The production arrangement: one JSON console handler on the root, nothing else
    (entered in the test itself: pytest adds its capture handlers when the test starts)."""
    root = logging.getLogger()
    saved = root.handlers[:]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_formatter())
    root.handlers = [handler]
    try:
        yield stream
    finally:
        root.handlers = saved


def _one_line(stream: io.StringIO) -> dict[str, Any]:
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1
    parsed: dict[str, Any] = json.loads(lines[0])
    return parsed


def test_the_direct_line_has_the_fields_of_the_structlog_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with only_console() as stream:
        assert access_log._plain_console_handler() is not None, "the direct path is taken"
        access_log.access_line(error=False, **FIELDS)
    direct = _one_line(stream)

    monkeypatch.setattr(access_log, "_plain_console_handler", lambda: None)
    with only_console() as stream:
        access_log.access_line(error=False, **FIELDS)
    through_structlog = _one_line(stream)

    assert direct.pop("timestamp").endswith("Z")
    assert through_structlog.pop("timestamp").endswith("Z")
    assert direct == through_structlog
    assert direct["level"] == "INFO" and direct["logger"] == "findash.access"


def test_any_other_listener_gets_the_line_through_logging() -> None:
    seen: list[logging.LogRecord] = []

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    listener = Listener()
    logging.getLogger("findash.access").addHandler(listener)
    try:
        with only_console() as stream:
            access_log.access_line(error=False, **FIELDS)
    finally:
        logging.getLogger("findash.access").removeHandler(listener)
    assert len(seen) == 1
    assert _one_line(stream)["status"] == 304


def test_an_error_line_always_goes_through_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_log, "_NAME", "never-used-by-an-error-line")
    with only_console() as stream:
        access_log.access_line(error=True, **{**FIELDS, "status": 500})
    line = _one_line(stream)
    assert line["logger"] == "findash.access", "written by structlog, not the direct path"
    assert line["level"] == "ERROR" and line["status"] == 500


def test_a_broken_stream_never_fails_the_request() -> None:
    with only_console() as stream:
        stream.close()
        access_log.access_line(error=False, **FIELDS)
