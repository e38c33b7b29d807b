"""The one NinjaAPI: routers, auth, and the mapping of domain errors to answers."""

from __future__ import annotations

import logging
from typing import Any

import sentry_sdk
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from config.openapi import document_errors
from findash.budgets.api import router as budgets_router
from findash.common.errors import DomainError, InvalidInput, error_headers
from findash.dashboard.api import router as dashboard_router
from findash.dashboard.trends.api import router as trends_router
from findash.exports.api import router as exports_router
from findash.flags.api import router as flags_router
from findash.imports.api import router as imports_router
from findash.ledger.api import router as ledger_router
from findash.notifications.api import router as notifications_router
from findash.observability.api import router as observability_router
from findash.observability.db_errors import database_unavailable
from findash.rules.api import router as rules_router
from findash.tenancy.api import router as tenancy_router
from findash.tenancy.auth import TenantBearer
from findash.web.views import strict_csp

logger = logging.getLogger(__name__)


class FindashApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = FindashApi(
    title="findash",
    version="1.0",
    description=(
        "Multi-tenant financial dashboard. Money is a JSON string holding an exact decimal. "
        "Every error answer has the `Error` body; the limits (amounts, dates, page size, "
        "body size, rate limits) are listed in the README's security section."
    ),
    auth=TenantBearer(),
    docs_url="/docs",
    # Swagger UI from django-ninja's own static files ("ninja" is an installed app), under the
    # web pages' CSP; no validator badge, which would call another host.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_decorator=strict_csp,
    openapi_url="/openapi.json",
)

# URL resolution tries the routers in this order and pays for every miss: the cheap
# operations paths and the hot dashboard ones first.
api.add_router("", observability_router)
api.add_router("", dashboard_router)
api.add_router("", tenancy_router)
api.add_router("", ledger_router)
api.add_router("", budgets_router)
api.add_router("", trends_router)
api.add_router("", flags_router)
api.add_router("", rules_router)
api.add_router("", imports_router)
api.add_router("", exports_router)
api.add_router("", notifications_router)

api.add_exception_handler(OperationalError, database_unavailable)
api.add_exception_handler(InterfaceError, database_unavailable)


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    error = {"loc": [exc.source, *exc.field], "msg": exc.msg, "type": exc.type}
    return api.create_response(request, {"detail": [error]}, status=422)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.detail}, status=exc.status_code)
    for header, value in error_headers(exc).items():
        response[header] = value
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "missing or malformed bearer token"}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _public_loc(loc: list[Any]) -> list[Any]:
    # ninja prefixes body errors with the handler's parameter name ("payload"); clients see
    # ["body", <field>, ...], the same shape as a service's InvalidInput under "body".
    if len(loc) > 2 and loc[0] == "body" and loc[1] == "payload":
        return [loc[0], *loc[2:]]
    return loc


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = [
        {
            "loc": _public_loc(list(e.get("loc", []))),
            "msg": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(DatabaseError)
def _database_error(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    # Any other database error: the request's transaction rolled back, nothing was written.
    logger.error("database error in %s %s", request.method, request.path, exc_info=exc)
    sentry_sdk.capture_exception(exc)
    return api.create_response(
        request, {"detail": "the database rejected the request; nothing was changed"}, status=500
    )


@api.exception_handler(RequestDataTooBig)
def _body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request, {"detail": f"the request body is larger than {limit} bytes"}, status=413
    )


@api.exception_handler(Exception)
def _unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not bad input: reported once, and still a JSON answer (never Django's HTML page).
    logger.error("unhandled error in %s %s", request.method, request.path, exc_info=exc)
    sentry_sdk.capture_exception(exc)
    return api.create_response(
        request, {"detail": "internal error; it has been reported"}, status=500
    )
