"""Logging: structlog rendering JSON (default) or console lines."""

from __future__ import annotations

from typing import Any

from config.env import env_str

LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
LOG_FORMAT = (env_str("LOG_FORMAT", "json") or "json").lower()

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}
