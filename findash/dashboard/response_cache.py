"""How every /financial/dashboard* answer is produced: flag gate, cache, ETag/304.

Handlers call :func:`dashboard_response` with a ``compute`` callable; this is the single place
that decides whether to compute, serve from cache, or answer 304.

The cache key holds the release, the tenant, the endpoint, the normalized query and,
unless the query names both ``start`` and ``end``, today's date: a relative
period such as ``current_month`` means different days tomorrow. The stored
answer is tagged with the tenant's data version (replaced on every write, see
``findash.tenancy.versioning``) and served only while that is still the
current version. The version is read *before* computing, so an answer
computed from data older than a write is always tagged with a version that
write replaced.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from pydantic import BaseModel

from findash.common.errors import NotFound
from findash.common.safe_cache import (
    cache_add,
    cache_delete,
    cache_get_many,
    cache_set_many,
)
from findash.common.version_memo import version_memo
from findash.dashboard.response_memo import response_memo
from findash.flags.evaluation import flag_enabled
from findash.tenancy.auth import request_actor
from findash.tenancy.versioning import tenant_data_version, tenant_data_version_key

_KEY_PREFIX = "dash:v3"  # v3: the ETag under its own key
_LOCK_SECONDS = 10  # a crashed computer holds the lock at most this long
_WAIT_SECONDS = 2.0
_POLL_SECONDS = 0.02
_CACHE_CONTROL = "private, no-cache"


def _render(payload: BaseModel | Any) -> bytes:
    if isinstance(payload, BaseModel):
        return payload.model_dump_json().encode()
    return JsonResponse(payload, safe=False).content


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(etag: str, header: str) -> bool:
    if not header:
        return False
    # Only a real ETag: "*" would tell a client that has no copy at all that its copy is fresh.
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return etag in candidates


def _param_text(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def normalized_params(params: Mapping[str, object], *, today: date) -> str:
    """A stable text for the query: sorted, Nones dropped, today added for relative periods."""
    clean = {k: _param_text(v) for k, v in sorted(params.items()) if v is not None and v != ""}
    if not ("start" in clean and "end" in clean):
        clean["@today"] = today.isoformat()
    return json.dumps(clean, sort_keys=True, separators=(",", ":"))


def dashboard_cache_key(
    *, tenant_id: int, endpoint: str, params: Mapping[str, object], today: date
) -> str:
    digest = hashlib.sha256(normalized_params(params, today=today).encode()).hexdigest()[:40]
    # Per release: after a deploy that changes an answer's shape, old answers are not served.
    release = f"{settings.RELEASE}-{settings.GIT_SHA}"
    return f"{_KEY_PREFIX}:{release}:{tenant_id}:{endpoint}:{digest}"


def _stored(found: Mapping[str, Any], key: str, version: str | None) -> tuple[Any, ...] | None:
    """The entry under ``key`` if it was stored under the tenant's current version."""
    cached = found.get(key)
    if version is not None and isinstance(cached, tuple) and cached and cached[0] == version:
        return cached
    return None


def _remembered(version_key: str) -> tuple[int | None, str | None]:
    """(stamp, version) from this process's version memo; (None, None) when not usable."""
    stamp = version_memo.usable()
    return stamp, (version_memo.get(version_key) if stamp is not None else None)


def _not_modified(*, tenant_id: int, key: str, if_none_match: str) -> str | None:
    """The ETag when the client's copy is current; the body is never read.

    With the version remembered in-process and the answer's ETag too, no round trip;
    otherwise one ``MGET`` of the version and the ETag, which lives under its own small key.
    """
    version_key = tenant_data_version_key(tenant_id)
    stamp, version = _remembered(version_key)
    etag = response_memo.etag(key, version) if version is not None else None
    if etag is None:
        keys = [_etag_key(key)] if version is not None else [version_key, _etag_key(key)]
        found = cache_get_many(keys)
        if not found:
            return None
        if version is None:
            version = found.get(version_key)
            _remember(version_key, version, stamp)
        stored = _stored(found, _etag_key(key), version)
        if stored is None or len(stored) != 2:
            return None
        etag = str(stored[1])
    return etag if etag_matches(etag, if_none_match) else None


def remembered_answer(*, tenant_id: int, key: str) -> tuple[bytes, str] | None:
    """(body, ETag) when this process holds the current answer: no round trip at all."""
    _, version = _remembered(tenant_data_version_key(tenant_id))
    return response_memo.get(key, version) if version is not None else None


def _remember(version_key: str, version: Any, stamp: int | None) -> None:
    if stamp is not None and isinstance(version, str):
        version_memo.put(version_key, version, stamp)


def _etag_key(key: str) -> str:
    return f"{key}:etag"


def _cached_or_computed(
    *,
    tenant_id: int,
    endpoint: str,
    params: Mapping[str, object],
    compute: Callable[[], BaseModel | Any],
    key: str | None = None,
) -> tuple[bytes, str, bool]:
    if not settings.DASHBOARD_CACHE_ENABLED:
        body = _render(compute())
        return body, _etag(body), False
    if key is None:
        key = dashboard_cache_key(
            tenant_id=tenant_id, endpoint=endpoint, params=params, today=timezone.localdate()
        )
    # The tenant's current version (remembered, or read in the same round trip as the
    # stored answer); the answer counts only if it was stored under that version. Read
    # before computing: see above.
    version_key = tenant_data_version_key(tenant_id)
    stamp, version = _remembered(version_key)
    if version is not None:
        local = response_memo.get(key, version)
        if local is not None:
            return local[0], local[1], True
        found = cache_get_many([key])
    else:
        found = cache_get_many([version_key, key])
        if found is not None:
            _remember(version_key, found.get(version_key), stamp)
            version = found.get(version_key) or tenant_data_version(tenant_id)
    if found is not None:
        stored = _stored(found, key, version)
        if stored is not None and len(stored) == 3:
            body, etag = bytes(stored[1]), str(stored[2])
            if stamp is not None and version is not None:
                response_memo.put(key, version, body, etag)
            return body, etag, True
    if version is None:
        body = _render(compute())
        return body, _etag(body), False
    body, etag, hit = _computed_once(
        key=key, version_key=version_key, version=version, compute=compute
    )
    if stamp is not None:
        response_memo.put(key, version, body, etag)
    return body, etag, hit


def _computed_once(
    *,
    key: str,
    version_key: str,
    version: str,
    compute: Callable[[], BaseModel | Any],
) -> tuple[bytes, str, bool]:
    """Compute a missing answer once: concurrent askers wait for it instead of all computing.

    Right after a write every dashboard of the tenant misses at once; without this each of
    them would run the same queries side by side. A waiter takes the answer only if it is
    tagged with the version the waiter read, and computes itself if none comes in time.
    """
    lock = f"{key}:computing:{version}"
    owner = cache_add(lock, 1, _LOCK_SECONDS)
    if owner is False:
        deadline = time.monotonic() + _WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
            found = cache_get_many([version_key, key, lock])
            if found is None or found.get(version_key) != version:
                break  # the cache failed, or a write made this answer stale anyway
            cached = found.get(key)
            if isinstance(cached, tuple) and len(cached) == 3 and cached[0] == version:
                return bytes(cached[1]), str(cached[2]), True
            if lock not in found:
                break  # the computer gave up (an error, e.g. a 422): do it ourselves
    try:
        body = _render(compute())
        etag = _etag(body)
        cache_set_many(
            {key: (version, body, etag), _etag_key(key): (version, etag)},
            settings.DASHBOARD_CACHE_TTL,
        )
    finally:
        if owner:
            cache_delete(lock)
    return body, etag, False


def dashboard_cache_warm(
    *, tenant_id: int, endpoint: str, params: Mapping[str, object], compute: Callable[[], Any]
) -> bool:
    """Store the answer a request with these params would get; False if it was cached."""
    _, _, hit = _cached_or_computed(
        tenant_id=tenant_id, endpoint=endpoint, params=params, compute=compute
    )
    return not hit


def dashboard_answer_get(
    *, tenant_id: int, endpoint: str, params: Mapping[str, object], compute: Callable[[], Any]
) -> tuple[bytes, str]:
    """The body and ETag a request with these params gets, through the same cache (the web
    panel embeds the dashboard's first answer so the page needs no second round trip)."""
    body, etag, _ = _cached_or_computed(
        tenant_id=tenant_id, endpoint=endpoint, params=params, compute=compute
    )
    return body, etag


def dashboard_response(
    request: HttpRequest,
    *,
    endpoint: str,
    params: Mapping[str, object],
    compute: Callable[[], BaseModel | Any],
) -> HttpResponse:
    actor = request_actor(request)
    if not flag_enabled("dashboard", tenant=actor.tenant):
        raise NotFound("feature 'dashboard' is disabled")
    if_none_match = request.headers.get("If-None-Match", "")
    key = None
    if settings.DASHBOARD_CACHE_ENABLED:
        key = dashboard_cache_key(
            tenant_id=actor.tenant.pk, endpoint=endpoint, params=params, today=timezone.localdate()
        )
        current = (
            _not_modified(tenant_id=actor.tenant.pk, key=key, if_none_match=if_none_match)
            if if_none_match
            else None
        )
        if current is not None:
            answered(request, actor.tenant.pk, endpoint, hit=True)
            return not_modified_response(current)
    body, etag, hit = _cached_or_computed(
        tenant_id=actor.tenant.pk,
        endpoint=endpoint,
        params=params,
        compute=compute,
        key=key,
    )
    answered(request, actor.tenant.pk, endpoint, hit=hit if key is not None else None)
    if etag_matches(etag, if_none_match):
        return not_modified_response(etag)
    return body_response(body, etag)


def body_response(body: bytes, etag: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = _CACHE_CONTROL
    return response


# Sent once per answered dashboard request (``hit`` None: the cache is off). Observability
# counts hits and misses, records the tenant as active and labels the access log.
dashboard_answered = Signal()


def answered(request: HttpRequest, tenant_id: int, endpoint: str, *, hit: bool | None) -> None:
    dashboard_answered.send(
        sender=None, request=request, tenant_id=tenant_id, endpoint=endpoint, hit=hit
    )


def not_modified_response(etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = _CACHE_CONTROL
    return response
