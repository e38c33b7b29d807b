"""Warm dashboard reads decided from the WSGI environ, before Django builds a request.

A ``GET /financial/dashboard*`` whose every input this process already holds — the
bearer token's actor (``actor_memo``), the flag decision (the flag memo), the tenant's
data version and the answer itself (``version_memo`` and ``response_memo``, kept exact by
Redis pub/sub) — gets a :class:`WarmAnswer`: the very bytes and ETag the full path would
send. Anything else — no token in the memo, other query parameters or a repeated one, the
flag off, the memo not usable, no remembered answer, a host Django would refuse, plain
http that production redirects — answers None and goes down the usual path, which also
fills the memos. So this lane decides nothing of its own: it only skips work whose
outcome is already known. ``config.fast_lane`` serves the answer (headers, metrics, log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.signals import setting_changed
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from findash.dashboard.response_cache import (
    dashboard_cache_key,
    etag_matches,
    remembered_answer,
)
from findash.flags.evaluation import flag_enabled
from findash.tenancy.actor import Actor
from findash.tenancy.actor_memo import actor_memo

ROUTES = {
    "/financial/dashboard": "dashboard",
    "/financial/dashboard/summary": "summary",
    "/financial/dashboard/accounts": "accounts",
    "/financial/dashboard/transactions": "transactions",
    "/financial/dashboard/budgets": "budgets",
}
_PARAMS = ("start", "end", "period")  # PeriodQuery's fields, all optional strings
_hosts: dict[str, bool] = {}
_keys: dict[tuple[int, str, str, date], str] = {}


@dataclass(frozen=True)
class WarmAnswer:
    endpoint: str
    actor: Actor
    etag: str
    body: bytes | None  # None: 304, the client's copy is current
    secure: bool


def _bearer(environ: dict[str, Any]) -> str | None:
    """The token as ninja's ``HttpBearer`` reads it."""
    header = environ.get("HTTP_AUTHORIZATION")
    if not header:
        return None
    parts = header.split(" ")
    if parts[0].lower() != "bearer":
        return None
    return " ".join(parts[1:])


def _params(query: str) -> dict[str, object] | None:
    """start/end/period as the full path would pass them; None for anything else."""
    params: dict[str, object] = dict.fromkeys(_PARAMS)
    seen = set()
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in params or name in seen:
            return None
        seen.add(name)
        params[name] = value
    return params


def is_secure(environ: dict[str, Any]) -> bool:
    """``HttpRequest.is_secure()`` on this environ."""
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        value = environ.get(header[0])
        if value is not None:
            return bool(value.split(",", 1)[0].strip() == header[1])
    return bool(environ.get("wsgi.url_scheme") == "https")


def _host_allowed(environ: dict[str, Any]) -> bool:
    """What ``HttpRequest.get_host()`` accepts; only the plain ``Host`` header case."""
    host = environ.get("HTTP_HOST")
    if not host or settings.USE_X_FORWARDED_HOST:
        return False
    allowed = _hosts.get(host)
    if allowed is None:
        hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not hosts:
            hosts = [".localhost", "127.0.0.1", "[::1]"]
        domain, _ = split_domain_port(host)
        allowed = bool(domain) and validate_host(domain, hosts)
        if len(_hosts) > 1000:
            _hosts.clear()
        _hosts[host] = allowed
    return allowed


def _key(tenant_id: int, endpoint: str, query: str, params: dict[str, object]) -> str:
    """``dashboard_cache_key`` for this query today, remembered (it hashes a JSON text).

    Today as ``timezone.localdate()`` has it: findash never activates a time zone, so the
    current one is the default (read without asgiref's per-request lookup).
    """
    today = datetime.now(timezone.get_default_timezone()).date()
    memo_key = (tenant_id, endpoint, query, today)
    key = _keys.get(memo_key)
    if key is None:
        if len(_keys) > 10_000:
            _keys.clear()
        key = _keys[memo_key] = dashboard_cache_key(
            tenant_id=tenant_id, endpoint=endpoint, params=params, today=today
        )
    return key


def warm_answer(environ: dict[str, Any]) -> WarmAnswer | None:
    """The answer when everything is remembered; None: take the full path."""
    endpoint = ROUTES.get(environ.get("PATH_INFO", ""))
    if endpoint is None or environ.get("REQUEST_METHOD") != "GET":
        return None
    if not settings.DASHBOARD_CACHE_ENABLED:
        return None
    secure = is_secure(environ)
    if (settings.SECURE_SSL_REDIRECT and not secure) or not _host_allowed(environ):
        return None
    token = _bearer(environ)
    if not token:
        return None
    actor = actor_memo.get(token, environ.get("HTTP_X_TENANT_ID") or "")
    params = _params(environ.get("QUERY_STRING", ""))
    if not isinstance(actor, Actor) or params is None:
        return None
    if not flag_enabled("dashboard", tenant=actor.tenant):
        return None
    key = _key(actor.tenant.pk, endpoint, environ.get("QUERY_STRING", ""), params)
    found = remembered_answer(tenant_id=actor.tenant.pk, key=key)
    if found is None:
        return None
    body, etag = found
    if etag_matches(etag, environ.get("HTTP_IF_NONE_MATCH", "")):
        return WarmAnswer(endpoint, actor, etag, None, secure)
    return WarmAnswer(endpoint, actor, etag, body, secure)


def _settings_changed(**kwargs: Any) -> None:
    _hosts.clear()
    _keys.clear()  # RELEASE, GIT_SHA, TIME_ZONE are in them


setting_changed.connect(_settings_changed)
