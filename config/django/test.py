"""Test settings: fast hashing, eager tasks, database chosen by DATABASE_URL."""

from __future__ import annotations

from config.django.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGIN_RATE_LIMIT = 5
OUTBOX_DISPATCH = "inline"  # outbox rows run right after the commit, in the test's thread
OUTBOX_THREAD_RESEND_SECONDS = 0  # no background resend touching the database between tests
WEBHOOK_ALLOW_PRIVATE = True  # the tests' webhook receivers listen on 127.0.0.1
