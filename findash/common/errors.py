"""Domain errors. ``config/api.py`` maps each to one HTTP answer."""

from __future__ import annotations

from collections.abc import Sequence


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
    """Bad input found by a service; answered as a 422 validation error naming the field."""

    status_code = 422

    def __init__(self, loc: Sequence[str | int], msg: str, type_: str = "value_error") -> None:
        super().__init__(msg)
        self.loc = list(loc)
        self.msg = msg
        self.type = type_

    def as_error(self) -> dict[str, object]:
        return {"loc": self.loc, "msg": self.msg, "type": self.type}

    def prefixed(self, *prefix: str | int) -> InvalidInput:
        return InvalidInput([*prefix, *self.loc], self.msg, self.type)
