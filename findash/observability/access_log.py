"""The one access-log line per request, written cheaply when nothing else listens.

Through structlog and the standard library a line costs about 25 µs (a LogRecord, the
processor chain, the formatter), as much as a tenth of a cached dashboard answer. When
the configuration is the one ``config/settings/logging.py`` sets up (JSON lines, one
console handler on the root logger, no filters, Sentry off), an INFO line is rendered
here with the same fields (``timestamp``, ``level``, ``logger``, ``event`` and the
request's) and written to that handler's stream under its lock. Anything else: other
handlers (tests, an operator's), console format, Sentry (it records log lines as
breadcrumbs), or an error line, goes through structlog as before.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import sentry_sdk
import structlog
from django.conf import settings

_NAME = "findash.access"
_logger = logging.getLogger(_NAME)
_structured = structlog.get_logger(_NAME)


def _plain_console_handler() -> logging.StreamHandler[Any] | None:
    """The root's JSON console handler when it is the only place a line can go."""
    node: logging.Logger | None = _logger
    root = logging.getLogger()
    while node is not None and node is not root:
        if node.handlers or node.filters:
            return None
        if not node.propagate:
            return None
        node = node.parent
    if len(root.handlers) != 1 or root.filters:
        return None
    handler = root.handlers[0]
    if type(handler) is not logging.StreamHandler or handler.filters:
        return None
    if getattr(settings, "LOG_FORMAT", "json") != "json":
        return None
    if not isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter):
        return None
    return handler


def _timestamp() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def access_line(*, error: bool, **fields: Any) -> None:
    """Log the request line (ERROR for a 5xx, else INFO) with ``fields``."""
    level = logging.ERROR if error else logging.INFO
    if not _logger.isEnabledFor(level):
        return
    handler = None if error else _plain_console_handler()
    if handler is None or handler.level > level or sentry_sdk.get_client().is_active():
        (_structured.error if error else _structured.info)("request", **fields)
        return
    event = {
        **structlog.contextvars.get_contextvars(),
        **fields,
        "event": "request",
        "level": "INFO",
        "logger": _NAME,
        "timestamp": _timestamp(),
    }
    line = json.dumps(event, default=repr) + handler.terminator
    try:
        with handler.lock or _NO_LOCK:
            handler.stream.write(line)
            handler.flush()
    except (OSError, ValueError):  # a closed or broken stream never fails the request
        return


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LOCK = _NoLock()
