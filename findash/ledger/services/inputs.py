"""What every ledger write shares: the error location of a body field and PATCH values."""

from __future__ import annotations

from typing import Any

from findash.common.errors import InvalidInput

Loc = list[str | int]
BODY: Loc = ["body"]


def patch_values(data: Any, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH body set; ``null`` only where the field is nullable."""
    values: dict[str, Any] = data.model_dump(exclude_unset=True)
    for field, value in values.items():
        if value is None and field not in nullable:
            raise InvalidInput([*BODY, field], "may not be null", "null")
    return values
