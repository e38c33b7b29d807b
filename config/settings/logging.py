"""Logging: structlog rendering one JSON object per line (default) or console lines.

Both structlog loggers and the standard library's (Django, Celery, gunicorn)
go through the same ``ProcessorFormatter``, so every line has the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger

from config.env import env_str

LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
LOG_FORMAT = (env_str("LOG_FORMAT", "json") or "json").lower()
if LOG_FORMAT not in ("json", "console"):
    raise ValueError(f"LOG_FORMAT={LOG_FORMAT!r} must be json or console")
LOG_SERVICE = "findash"


def _upper_level(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    event_dict["level"] = str(event_dict.get("level", "")).upper()
    event_dict.setdefault("service", LOG_SERVICE)
    return event_dict


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    _upper_level,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    structlog.processors.StackInfoRenderer(),
]

# Tracebacks as structured frames, without local variables: those can hold tokens,
# passwords and request bodies, which must not end up in log storage.
_EXCEPTIONS: Any = (
    structlog.processors.ExceptionRenderer(
        structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
    )
    if LOG_FORMAT == "json"
    else structlog.processors.format_exc_info
)

_RENDERER: Any = (
    structlog.processors.JSONRenderer()
    if LOG_FORMAT == "json"
    else structlog.dev.ConsoleRenderer(colors=False)
)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _EXCEPTIONS,
                _RENDERER,
            ],
            "foreign_pre_chain": SHARED_PROCESSORS,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structured"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # The access log below replaces Django's own per-request warnings.
        "django.request": {"level": "ERROR"},
    },
}

# Python warnings become log lines too, so stderr holds nothing but this format.
logging.captureWarnings(True)

structlog.configure(
    processors=[
        structlog.stdlib.filter_by_level,
        *SHARED_PROCESSORS,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
