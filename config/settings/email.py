"""Email chosen by ``EMAIL_URL``: console (default), smtp, smtp+tls, smtps, locmem, dummy."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

from config.env import env_str

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def email_config(url: str) -> dict[str, Any]:
    parsed = urlparse(url or "console://")
    scheme = parsed.scheme or "console"
    if scheme not in _BACKENDS:
        raise ValueError(f"EMAIL_URL scheme {scheme!r} is not supported")
    config: dict[str, Any] = {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme.startswith("smtp"):
        config.update(
            EMAIL_HOST=parsed.hostname or "127.0.0.1",
            EMAIL_PORT=parsed.port or (465 if scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_TIMEOUT=5,
        )
    return config


EMAIL_URL = env_str("EMAIL_URL", "") or ""
_email = email_config(EMAIL_URL)
EMAIL_BACKEND: str = _email["EMAIL_BACKEND"]
EMAIL_HOST: str = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT: int = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER: str = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD: str = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS: bool = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL: bool = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT: int | None = _email.get("EMAIL_TIMEOUT")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "findash@localhost") or "findash@localhost"
