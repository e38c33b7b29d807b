"""Sentry: off unless ``SENTRY_DSN`` is set."""

from __future__ import annotations

from config.env import env_float, env_str

SENTRY_DSN = env_str("SENTRY_DSN", "") or ""
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
