"""PATCH changes as services take them: a mapping of only the fields the client sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from findash.common.errors import InvalidInput

NULL_REFUSED = "may not be null"


def patch_changes(
    changes: Mapping[str, Any],
    *,
    nullable: frozenset[str] = frozenset(),
    null_message: str = NULL_REFUSED,
) -> dict[str, Any]:
    """The changes, with ``None`` refused where the field is not nullable.

    ``null_message`` may name the field as ``{field}``.
    """
    for field, value in changes.items():
        if value is None and field not in nullable:
            raise InvalidInput([field], null_message.format(field=field), "null")
    return dict(changes)
