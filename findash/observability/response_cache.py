"""How every /financial/dashboard* answer is produced: flag gate, ETag/304, (later) caching.

Handlers call :func:`dashboard_response` with a ``compute`` callable; this is the single place
that decides whether to compute, serve from cache, or answer 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from pydantic import BaseModel

from findash.common.errors import NotFound
from findash.flags.evaluation import flag_enabled
from findash.tenancy.auth import request_actor


def _render(payload: BaseModel | Any) -> bytes:
    if isinstance(payload, BaseModel):
        return payload.model_dump_json().encode()
    return JsonResponse(payload, safe=False).content


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


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
    body = _render(compute())
    etag = _etag(body)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
