"""Domain errors: what went wrong, in domain terms; ``config/api.py`` answers each once.

A service raises these and nothing HTTP-shaped. ``InvalidInput`` names the offending value
by its path *relative to the function's own inputs* (``("amount",)``,
``("transactions", 3, "amount")``); the request edge puts that path under the part of the
request it came from (``body`` unless the input was the query string) to build the
public ``loc``. A domain error's ``status_code`` and ``error_headers`` are the one
classification both the JSON API and the web pages answer with.
"""

from __future__ import annotations

from collections.abc import Sequence

FieldPath = tuple[str | int, ...]


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status_code = 404


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    status_code = 503


class InvalidInput(DomainError):
    """Bad input found by a service: a 422 naming the field.

    ``field`` is the path of the bad value relative to the caller's inputs; ``source`` is
    the part of the request those inputs came from when the caller is a request handler
    (``"body"``, or ``"query"`` for a query-string filter).
    """

    status_code = 422

    def __init__(
        self,
        field: Sequence[str | int],
        msg: str,
        type_: str = "value_error",
        *,
        source: str = "body",
    ) -> None:
        super().__init__(msg)
        self.field: FieldPath = tuple(field)
        self.msg = msg
        self.type = type_
        self.source = source

    def within(self, *prefix: str | int) -> InvalidInput:
        """The same error, seen from a caller that passed these inputs under ``prefix``."""
        return InvalidInput([*prefix, *self.field], self.msg, self.type, source=self.source)

    @property
    def field_name(self) -> str:
        """The path as one dotted name, for command-line and admin messages."""
        return ".".join(str(part) for part in self.field)


def error_headers(exc: DomainError) -> dict[str, str]:
    """The headers that go with ``exc.status_code`` (how to authenticate, when to retry)."""
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    return {}
