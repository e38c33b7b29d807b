"""List pagination: ``?limit=`` (default 50, max 500, more is a 422) and ``?offset=``."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**53  # far past any real list; keeps the SQL integer in range on every database


class Pagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination with a bounded offset (a huge one is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
