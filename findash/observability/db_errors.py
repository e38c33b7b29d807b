"""A database that is down or unreachable answers 503 with a clear body, counted and logged."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse

from findash.observability.metrics import DATABASE_ERRORS

logger = logging.getLogger("findash.database")

RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest, exc: object) -> HttpResponse:
    DATABASE_ERRORS.labels(source="api").inc()
    logger.error("database unavailable: %s", exc)
    response = JsonResponse(
        {"detail": "the database is unavailable; try again shortly"}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
