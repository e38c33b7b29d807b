"""The one question application code asks: is this flag on for this tenant?

It goes through OpenFeature, so whichever provider is registered answers (ours by
default, see ``openfeature_provider.py``); a provider error yields the registry default.
With our own provider and no OpenFeature hooks, the answer comes from the provider's
per-snapshot memo instead (same decision, without the SDK's per-call machinery): it is
dropped whenever the flag store reloads, so the kill switch is as fast as before.
"""

from __future__ import annotations

from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.provider._registry import provider_registry  # the SDK's own, pinned

from findash.flags.openfeature_provider import FindashFlagProvider
from findash.flags.registry import definition_get
from findash.flags.state import FlagState, flag_decide
from findash.tenancy.models import Tenant


def flag_default(key: str, *, tenant_id: str) -> bool:
    """What the registry says when nothing else can be asked (unknown flag: off)."""
    definition = definition_get(key)
    if definition is None:
        return False
    return flag_decide(FlagState.from_definition(definition), tenant_id=tenant_id).enabled


def flag_enabled(key: str, *, tenant: Tenant) -> bool:
    tenant_id = tenant.public_id
    provider = provider_registry.get_provider(None)
    if isinstance(provider, FindashFlagProvider) and not api.get_hooks():
        return provider.enabled_for(key, tenant_id=tenant_id)
    return api.get_client().get_boolean_value(
        key,
        flag_default(key, tenant_id=tenant_id),
        EvaluationContext(targeting_key=tenant_id),
    )
