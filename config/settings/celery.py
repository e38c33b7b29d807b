"""Celery: eager (in-process) unless ``CELERY_BROKER_URL`` is set.

Entry points: ``celery -A config worker`` and ``celery -A config beat``.
"""

from __future__ import annotations

from celery.schedules import crontab

from config.env import env_bool, env_str

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or ""
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "findash") or "findash"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
# Publishing gives up at the first refused connection (the outbox row waits for the
# resend) instead of retrying inside the web request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TIMEZONE = "UTC"

_TASKS = "findash.notifications.tasks"
# `celery -A config beat` runs these.
CELERY_BEAT_SCHEDULE = {
    "outbox-resend": {"task": f"{_TASKS}.outbox_resend", "schedule": 30.0},
    "outbox-prune": {"task": f"{_TASKS}.outbox_prune", "schedule": crontab(hour=3, minute=17)},
    "budget-alerts-daily": {
        "task": f"{_TASKS}.budget_alerts_dispatch",
        "schedule": crontab(hour=6, minute=0),
    },
    "rollups-verify-recent": {
        "task": f"{_TASKS}.rollups_verify_recent",
        "schedule": crontab(minute=5),
    },
    "dashboards-warm": {
        "task": "findash.observability.tasks.dashboards_warm",
        "schedule": 5 * 60.0,
    },
    "monthly-summary": {
        "task": f"{_TASKS}.monthly_summary_dispatch",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
}
