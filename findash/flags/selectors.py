"""Reads for operators: the stored truth straight from the database, never the snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from findash.flags.models import Flag, FlagAudit
from findash.flags.registry import REGISTRY
from findash.flags.services import flag_definition_require, rollout_validate
from findash.flags.state import Decision, FlagState, flag_decide
from findash.tenancy.models import Tenant


@dataclass(frozen=True)
class FlagView:
    key: str
    description: str
    state: FlagState
    updated_at: datetime | None
    updated_by: str


def _view(key: str, row: Flag | None) -> FlagView:
    definition = REGISTRY[key]
    if row is None:
        return FlagView(
            key, definition.description, FlagState.from_definition(definition), None, ""
        )
    return FlagView(
        key,
        row.description or definition.description,
        FlagState.from_row(row),
        row.updated_at,
        row.updated_by,
    )


def flag_list() -> list[FlagView]:
    rows = {row.key: row for row in Flag.objects.filter(key__in=list(REGISTRY))}
    return [_view(key, rows.get(key)) for key in sorted(REGISTRY)]


def flag_get(*, key: str) -> FlagView:
    flag_definition_require(key)
    return _view(key, Flag.objects.filter(key=key).first())


def flag_audit_list(*, key: str, limit: int = 20) -> list[FlagAudit]:
    return list(FlagAudit.objects.filter(key=key)[:limit])


def flag_check(*, key: str, tenant_id: str) -> Decision:
    return flag_decide(flag_get(key=key).state, tenant_id=tenant_id)


@dataclass(frozen=True)
class RolloutStage:
    rollout: int
    tenants_in: int
    tenants_total: int


def rollout_plan(*, key: str, stages: Sequence[int]) -> list[RolloutStage]:
    """How many of today's tenants each stage would let in (allow/deny lists included)."""
    state = flag_get(key=key).state
    tenant_ids = [tenant.public_id for tenant in Tenant.objects.order_by("pk")]
    plan = []
    for stage in stages:
        staged = FlagState(
            key=state.key,
            enabled=True,
            rollout=rollout_validate(stage),
            group_id=state.group_id,
            allow=state.allow,
            deny=state.deny,
        )
        tenants_in = sum(flag_decide(staged, tenant_id=t).enabled for t in tenant_ids)
        plan.append(RolloutStage(stage, tenants_in, len(tenant_ids)))
    return plan
