"""A flag's effective state and the decision it gives for one tenant (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from findash.flags.bucketing import rollout_bucket, rollout_includes
from findash.flags.registry import FlagDefinition


@dataclass(frozen=True)
class FlagState:
    key: str
    enabled: bool
    rollout: int
    group_id: str
    allow: frozenset[str] = field(default_factory=frozenset)
    deny: frozenset[str] = field(default_factory=frozenset)
    source: str = "database"  # or "default": the registry's, when no row or no store

    @classmethod
    def from_definition(cls, definition: FlagDefinition) -> FlagState:
        return cls(
            key=definition.key,
            enabled=definition.default_enabled,
            rollout=definition.default_rollout,
            group_id=definition.key,
            source="default",
        )

    @classmethod
    def from_row(cls, row: Any) -> FlagState:
        return cls(
            key=row.key,
            enabled=row.enabled,
            rollout=row.rollout,
            group_id=row.group_id or row.key,
            allow=_ids(row.allow),
            deny=_ids(row.deny),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "rollout": self.rollout,
            "group_id": self.group_id,
            "allow": sorted(self.allow),
            "deny": sorted(self.deny),
        }


def _ids(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(value) for value in values or ())


@dataclass(frozen=True)
class Decision:
    enabled: bool
    reason: str  # disabled | denied | allowed | rollout | no-tenant
    bucket: int | None = None


def flag_decide(state: FlagState, *, tenant_id: str | None) -> Decision:
    """The kill switch wins over everything; then deny, allow, and the sticky rollout."""
    if not state.enabled:
        return Decision(False, "disabled")
    if not tenant_id:
        # Nothing to hash; like Unleash's user-id stickiness, no id means not in.
        return Decision(False, "no-tenant")
    if tenant_id in state.deny:
        return Decision(False, "denied")
    if tenant_id in state.allow:
        return Decision(True, "allowed")
    bucket = rollout_bucket(group_id=state.group_id, tenant_id=tenant_id)
    return Decision(rollout_includes(rollout=state.rollout, bucket=bucket), "rollout", bucket)
