"""Production: refuses to start with DEBUG on or a default/missing secret."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.django.base import *  # noqa: F403
from config.django.base import DEBUG, DEFAULT_SECRET_KEY, JWT_SECRET, SECRET_KEY
from config.env import env_bool, env_int

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")
# JWT_SECRET signs every access token: a short or published one lets anyone mint them.
if len(JWT_SECRET.encode()) < 32 or JWT_SECRET == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "JWT_SECRET must be at least 32 bytes and not the development default in production"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health", r"^metrics", r"^version"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
