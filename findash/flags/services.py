"""The one way flags change: every operator interface (CLI, script, HTTP, admin) calls here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from findash.common.errors import InvalidInput, NotFound
from findash.flags.models import Flag, FlagAudit, FlagsVersion
from findash.flags.registry import REGISTRY, FlagDefinition
from findash.flags.state import FlagState
from findash.flags.store import flag_store
from findash.tenancy.models import Tenant

logger = logging.getLogger(__name__)


def flag_definition_require(key: str) -> FlagDefinition:
    definition = REGISTRY.get(key)
    if definition is None:
        known = ", ".join(sorted(REGISTRY))
        raise NotFound(f"unknown flag {key!r} (known flags: {known})")
    return definition


def rollout_validate(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(["rollout"], f"rollout must be a whole number, not {value!r}")
    if not 0 <= value <= 100:
        raise InvalidInput(["rollout"], f"rollout must be between 0 and 100, not {value}")
    return value


def tenant_ids_validate(field: str, values: object) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidInput([field], f"{field} must be a list of tenant ids")
    cleaned: list[str] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or Tenant.parse_public_id(value) is None:
            raise InvalidInput(
                [field, index], f"{value!r} is not a tenant id (like 'user_3' or 'org_4')"
            )
        if value not in cleaned:
            cleaned.append(value)
    return sorted(cleaned)


def _changes(*, enabled: object, rollout: object, allow: object, deny: object) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if enabled is not None:
        if not isinstance(enabled, bool):
            raise InvalidInput(["enabled"], f"enabled must be true or false, not {enabled!r}")
        changes["enabled"] = enabled
    if rollout is not None:
        changes["rollout"] = rollout_validate(rollout)
    if allow is not None:
        changes["allow"] = tenant_ids_validate("allow", allow)
    if deny is not None:
        changes["deny"] = tenant_ids_validate("deny", deny)
    return changes


def flags_version_bump() -> None:
    FlagsVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def flag_update(
    *,
    key: str,
    enabled: bool | None = None,
    rollout: int | None = None,
    allow: Sequence[str] | None = None,
    deny: Sequence[str] | None = None,
    actor: str,
) -> Flag:
    """Change a flag, audit it, and tell every process. Invalid input changes nothing."""
    definition = flag_definition_require(key)
    changes = _changes(enabled=enabled, rollout=rollout, allow=allow, deny=deny)
    with transaction.atomic():
        flag, created = Flag.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "description": definition.description,
                "enabled": definition.default_enabled,
                "rollout": definition.default_rollout,
                "group_id": definition.key,
            },
        )
        before = (
            FlagState.from_definition(definition) if created else FlagState.from_row(flag)
        ).as_dict()
        for name, value in changes.items():
            setattr(flag, name, value)
        after = FlagState.from_row(flag).as_dict()
        allowed_and_denied = set(after["allow"]) & set(after["deny"])
        if allowed_and_denied:
            raise InvalidInput(
                ["allow"], f"tenants both allowed and denied: {sorted(allowed_and_denied)}"
            )
        if before == after and not created:
            return flag
        flag.updated_by = actor
        flag.save()
        FlagAudit.objects.create(key=key, actor=actor, old=before, new=after)
        flags_version_bump()
    flag_store.invalidate()
    changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    logger.info("flag %s changed by %s: %s", key, actor, changed)
    return flag
