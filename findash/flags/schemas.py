from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import StrictBool, StrictInt

from findash.common.schemas import StrictIn


class FlagOut(Schema):
    key: str
    description: str
    enabled: bool
    rollout: int
    group_id: str
    allow: list[str]
    deny: list[str]
    source: str  # "database", or "default" while no operator has changed it
    updated_at: datetime | None
    updated_by: str


class FlagAuditOut(Schema):
    actor: str
    at: datetime
    old: dict[str, Any] | None
    new: dict[str, Any]


class FlagServingOut(Schema):
    """What the answering process evaluates with right now (its snapshot, maybe 0.5 s old)."""

    enabled: bool
    rollout: int
    group_id: str
    allow: list[str]
    deny: list[str]
    source: str


class FlagDetailOut(FlagOut):
    serving: FlagServingOut
    audit: list[FlagAuditOut]


class FlagPatchIn(StrictIn):
    enabled: StrictBool | None = None
    rollout: StrictInt | None = None
    allow: list[str] | None = None
    deny: list[str] | None = None
