"""Every feature flag the code knows, with the state it has until an operator changes it.

A flag exists in the code first: its key and default live here, and the database row
(``Flag``) is created the first time an operator changes it. Evaluation falls back to
these defaults when the flag store cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlagDefinition:
    key: str
    description: str
    default_enabled: bool = True
    default_rollout: int = 100


REGISTRY: dict[str, FlagDefinition] = {
    definition.key: definition
    for definition in (
        FlagDefinition(
            key="dashboard",
            description="The /financial/dashboard* endpoints and the dashboard page.",
        ),
    )
}


def definition_get(key: str) -> FlagDefinition | None:
    return REGISTRY.get(key)
