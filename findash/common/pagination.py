"""The one list pagination: ``?limit=`` (default 50, max 500) and ``?offset=`` (max 2**53).

Every list endpoint uses :class:`Pagination`; a limit or offset out of range is a 422
naming the parameter, never a database error.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from findash.common.limits import MAX_OFFSET, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX

__all__ = ["MAX_OFFSET", "Pagination"]


class Pagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination with a bounded offset (a huge one is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
