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

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    # A test database need not survive a crash of its server: a commit returns without
    # waiting for its WAL flush (~3 ms each on the CI machine; migrations, transactional
    # tests, flushes and live servers commit thousands of times). What other sessions see,
    # and when, is unchanged: a committed row is visible at once, locks work the same.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
