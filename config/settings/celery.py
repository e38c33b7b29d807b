"""Celery: eager (in-process) unless ``CELERY_BROKER_URL`` is set."""

from __future__ import annotations

from config.env import env_bool, env_str

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or ""
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TIMEZONE = "UTC"

# `celery -A config beat` runs these; budget alerts are swept once a day.
CELERY_BEAT_SCHEDULE = {
    "budget-alerts-daily": {
        "task": "findash.notifications.tasks.budget_alerts_dispatch",
        "schedule": 24 * 60 * 60,
    },
}
