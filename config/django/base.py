"""Settings shared by every environment. Values come from ``config.env``."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url

from config.env import (
    BASE_DIR,
    DEFAULT_CACHE_TTL,
    ENVIRONMENT,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

DEBUG = env_bool("DEBUG", False)
DEFAULT_SECRET_KEY = (
    "insecure-development-secret-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105  # nosec B105
)
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY) or ""
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where people reach the web app; links in emails (invitations) start with it.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"

VAR_DIR = BASE_DIR / "var"
RELEASE = env_str("RELEASE", "dev") or "dev"
GIT_SHA = env_str("GIT_SHA", "unknown") or "unknown"
BUILD_TIME = env_str("BUILD_TIME", "") or ""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "findash.common",
    "findash.tenancy",
    "findash.ledger",
    "findash.budgets",
    "findash.rules",
    "findash.imports",
    "findash.exports",
    "findash.dashboard",
    "findash.flags",
    "findash.observability",
    "findash.notifications",
    "findash.web",
    "findash.demo",
    # After findash.web, whose templates/ninja/ overrides the docs' templates: ninja then serves
    # Swagger UI from its own static files instead of a CDN (ninja.openapi.docs.render_template).
    "ninja",
]

MIDDLEWARE = [
    "findash.observability.middleware.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "findash.common.middleware.BrowserOnlyMiddleware",  # BROWSER_MIDDLEWARE, pages only
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "findash.tenancy.middleware.TenantScopeResetMiddleware",
]
# Sessions, CSRF, login and messages serve the admin and the web pages; the API (bearer
# tokens, CSRF-exempt views) skips them (README, Performance).
BROWSER_PATH_PREFIXES = ["/admin/", "/app/"]
BROWSER_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
# The admin checks look for these in MIDDLEWARE; they run for /admin/ through
# BROWSER_MIDDLEWARE (tests/test_browser_middleware.py holds that true).
SILENCED_SYSTEM_CHECKS = ["admin.E408", "admin.E409", "admin.E410"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'findash.sqlite3'}") or ""
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE avoids
    # "database is locked" upgrades in write transactions.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3)
    )
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- auth -----------------------------------------------------------------
JWT_SECRET = env_str("JWT_SECRET", "") or SECRET_KEY
JWT_ALGORITHM = env_str("JWT_ALGORITHM", "HS256") or "HS256"
JWT_ACCESS_TTL = timedelta(seconds=env_int("JWT_ACCESS_TTL_SECONDS", 15 * 60))
JWT_REFRESH_TTL = timedelta(seconds=env_int("JWT_REFRESH_TTL_SECONDS", 14 * 24 * 3600))
JWT_ISSUER = env_str("JWT_ISSUER", "findash") or "findash"
# A read request's actor (user, tenant, role) is remembered per process this long; any
# auth change reaches every process within AUTH_VERSION_CHECK_SECONDS (README, Performance).
AUTH_MEMO_SECONDS = env_float("AUTH_MEMO_SECONDS", 10.0)
AUTH_VERSION_CHECK_SECONDS = env_float("AUTH_VERSION_CHECK_SECONDS", 0.5)
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10)  # attempts per window per username and per IP
LOGIN_RATE_WINDOW_SECONDS = env_int("LOGIN_RATE_WINDOW_SECONDS", 300)
# Registrations per window per client address (and per requested username).
REGISTER_RATE_LIMIT = env_int("REGISTER_RATE_LIMIT", 10)

# --- dashboard ------------------------------------------------------------
ENVIRONMENT_NAME = ENVIRONMENT
# Largest bank file POST /imports accepts (bytes); larger files answer 413.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
DASHBOARD_CACHE_TTL = env_int("DASHBOARD_CACHE_TTL", DEFAULT_CACHE_TTL.get(ENVIRONMENT, 60))

# --- feature flags --------------------------------------------------------
# How often each process checks the flags version row (the kill switch's worst-case delay).
FLAGS_REFRESH_SECONDS = env_float("FLAGS_REFRESH_SECONDS", 0.5)
FLAGS_ERROR_LOG_SECONDS = env_float("FLAGS_ERROR_LOG_SECONDS", 60.0)
# Dotted path of a callable returning another OpenFeature provider (README, "Feature flags").
FLAGS_PROVIDER = env_str("FLAGS_PROVIDER", "") or ""


from config.settings.cache import *  # noqa: E402, F403
from config.settings.celery import *  # noqa: E402, F403
from config.settings.email import *  # noqa: E402, F403
from config.settings.logging import *  # noqa: E402, F403
from config.settings.metrics import *  # noqa: E402, F403
from config.settings.notifications import *  # noqa: E402, F403
from config.settings.sentry import *  # noqa: E402, F403

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "findash.common.pagination.Pagination"
# Request bodies: 8 MiB holds a 10,000-row bulk import with room to spare.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 8 * 1024 * 1024)
