"""The error answers of every operation, written into the served OpenAPI schema.

Handlers declare their success answers; the errors come from one place
(``config/api.py`` maps domain errors to statuses), so they are documented from
one place too: each operation lists every status it can answer with the shared
``Error`` body. What an operation can answer follows from what it takes:

- a body: 400 (not JSON), 413 (too large) and 422 (a field is wrong); parameters: 422;
- a bearer token: 401 (missing, expired, revoked) and 403 (viewer, read-only token,
  a tenant the caller is not in); an id in the path: 404 (missing or another tenant's);
- every operation may answer 503 while the database is unreachable;
- and the few statuses particular to one operation, listed in ``_PARTICULAR``.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "A sentence, or for validation errors one entry per wrong field.",
            "oneOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["loc", "msg", "type"],
                        "properties": {
                            "loc": {
                                "type": "array",
                                "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                                "description": 'where: ["body", "amount"], ["query", "limit"]',
                            },
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                },
            ],
        }
    },
}

_DESCRIPTIONS = {
    "304": "Not modified: the `If-None-Match` ETag is current (no body)",
    "400": "The body is not valid JSON",
    "401": "Missing, malformed, expired, revoked or wrong credentials",
    "403": "Not allowed for this role, token scope or tenant",
    "404": "Not found (another tenant's resource answers exactly the same)",
    "409": "Conflicts with the current state",
    "413": "The body is larger than the limit (8 MiB by default)",
    "422": "A field is invalid; `detail[].loc` names it",
    "429": "Too many attempts; `Retry-After` says when to try again",
    "503": "The database is unavailable; nothing was changed",
}

_RETRY_AFTER = {
    "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 1}}
}

# (method, path) -> statuses that only this operation answers.
_PARTICULAR: dict[tuple[str, str], tuple[str, ...]] = {
    ("post", "/auth/register"): ("409", "429"),
    ("post", "/auth/token"): ("401", "429"),
    ("post", "/auth/refresh"): ("401",),
    ("post", "/auth/logout"): ("401",),
    ("post", "/auth/password"): ("429",),
    ("post", "/tenants/{tenant_id}/members"): ("409",),
    ("patch", "/accounts/{account_id}"): ("409",),
    ("delete", "/accounts/{account_id}"): ("409",),
    ("delete", "/categories/{category_id}"): ("409",),
    ("post", "/exchange-rates"): ("409",),
    ("patch", "/exchange-rates/{rate_id}"): ("409",),
}
# Paths behind the dashboard feature flag (404 when it is off for the tenant).
_FLAGGED_PREFIXES = ("/financial/dashboard", "/financial/net-worth")

TENANT_HEADER_PARAMETER: dict[str, Any] = {
    "name": "X-Tenant-ID",
    "in": "header",
    "required": False,
    "description": "The tenant to act in (e.g. `org_45`); the caller's personal tenant if absent.",
    "schema": {"type": "string", "maxLength": 64},
}


def _statuses(method: str, path: str, operation: dict[str, Any]) -> set[str]:
    statuses = {"503"}
    parameters = operation.get("parameters", [])
    if "requestBody" in operation:
        statuses |= {"400", "413", "422"}
    if parameters:
        statuses.add("422")
    if operation.get("security"):
        statuses |= {"401", "403"}
    if any(p.get("in") == "path" for p in parameters):
        statuses.add("404")
    if path.startswith(_FLAGGED_PREFIXES):
        statuses |= {"304", "404"}  # 404: the dashboard feature flag is off for the tenant
    statuses.update(_PARTICULAR.get((method, path), ()))
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers (and the X-Tenant-ID header) to every operation of ``schema``."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    error_body = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if operation.get("security"):
                names = {p.get("name", "").lower() for p in operation.get("parameters", [])}
                if "x-tenant-id" not in names:
                    operation.setdefault("parameters", []).append(dict(TENANT_HEADER_PARAMETER))
            # ninja keys its own answers by int; JSON (and this) by string, without duplicates.
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status in sorted(_statuses(method, path, operation)):
                if status in responses:
                    continue
                answer: dict[str, Any] = {"description": _DESCRIPTIONS[status]}
                if status != "304":
                    answer["content"] = error_body
                if status == "429":
                    answer["headers"] = _RETRY_AFTER
                responses[status] = answer
    return schema
