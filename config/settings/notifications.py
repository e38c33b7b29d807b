"""Notifications: the outbox, webhooks and how queued work is dispatched."""

from __future__ import annotations

from config.env import EnvError, env_bool, env_float, env_int, env_str
from config.settings.celery import CELERY_TASK_ALWAYS_EAGER

# How committed outbox rows reach a worker: "celery" publishes to the broker; "thread"
# runs them in a background thread of this process (the embedded default, no broker);
# "inline" runs them right after the commit in the writing thread (tests).
OUTBOX_DISPATCH = env_str("OUTBOX_DISPATCH", "") or (
    "thread" if CELERY_TASK_ALWAYS_EAGER else "celery"
)
if OUTBOX_DISPATCH not in {"celery", "thread", "inline"}:
    raise EnvError(f"OUTBOX_DISPATCH={OUTBOX_DISPATCH!r}: use celery, thread or inline")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_float("OUTBOX_RETRY_BASE_SECONDS", 30.0)
OUTBOX_RETRY_MAX_SECONDS = env_float("OUTBOX_RETRY_MAX_SECONDS", 3600.0)
OUTBOX_LEASE_SECONDS = env_float("OUTBOX_LEASE_SECONDS", 120.0)
OUTBOX_RESEND_GRACE_SECONDS = env_float("OUTBOX_RESEND_GRACE_SECONDS", 10.0)
# Without a broker, the background thread's own resend interval (0: none).
OUTBOX_THREAD_RESEND_SECONDS = env_float("OUTBOX_THREAD_RESEND_SECONDS", 30.0)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)
# /health/dashboard lists "outbox" as degraded when due work waits longer than this.
OUTBOX_STALE_SECONDS = env_int("OUTBOX_STALE_SECONDS", 300)

WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 5.0)
