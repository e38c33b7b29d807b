"""An OpenFeature provider backed by findash's own flag store.

Application code asks OpenFeature, never the store::

    from django.conf import settings
from django.utils.module_loading import import_string
from openfeature import api
    from openfeature.evaluation_context import EvaluationContext

    api.get_client().get_boolean_value("dashboard", False, EvaluationContext(targeting_key="org_4"))

so an operator can swap this provider for Unleash's or flagd's without touching callers
(see README, "Feature flags"). The tenant's public id is the targeting key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.conf import settings
from django.utils.module_loading import import_string
from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, FlagValueType, Reason
from openfeature.provider import AbstractProvider, Metadata

from findash.flags.state import Decision, FlagState, flag_decide
from findash.flags.store import FlagStore, flag_store

T = TypeVar("T")

_REASONS = {
    "disabled": Reason.DISABLED,
    "denied": Reason.TARGETING_MATCH,
    "allowed": Reason.TARGETING_MATCH,
    "rollout": Reason.SPLIT,
    "no-tenant": Reason.DEFAULT,
}


_MEMO_MAX = 10_000


class FindashFlagProvider(AbstractProvider):
    def __init__(self, store: FlagStore | None = None) -> None:
        super().__init__()
        self._store = store or flag_store
        # Decisions for one snapshot of the store, kept as one (snapshot, decisions) pair
        # so a thread never files a decision under another snapshot (see enabled_for).
        self._memo: tuple[Mapping[str, FlagState] | None, dict[tuple[str, str], bool]] = (
            None,
            {},
        )

    def enabled_for(self, flag_key: str, *, tenant_id: str) -> bool:
        """``resolve_boolean_details(...).value`` for a tenant, memoized per flag snapshot.

        A reload of the store is a new mapping, so it starts an empty memo.
        """
        states = self._store.states()
        snapshot, memo = self._memo
        if states is not snapshot or len(memo) > _MEMO_MAX:
            memo = {}
            self._memo = (states, memo)
        found = memo.get((flag_key, tenant_id))
        if found is None:
            state = states.get(flag_key)
            found = state is not None and flag_decide(state, tenant_id=tenant_id).enabled
            memo[(flag_key, tenant_id)] = found
        return found

    def get_metadata(self) -> Metadata:
        return Metadata(name="findash-flags")

    def resolve_boolean_details(
        self,
        flag_key: str,
        default_value: bool,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[bool]:
        state = self._store.states().get(flag_key)
        if state is None:
            return FlagResolutionDetails(
                value=default_value,
                reason=Reason.ERROR,
                error_code=ErrorCode.FLAG_NOT_FOUND,
                error_message=f"unknown flag {flag_key!r}",
            )
        tenant_id = evaluation_context.targeting_key if evaluation_context else None
        decision: Decision = flag_decide(state, tenant_id=tenant_id)
        metadata: dict[str, bool | int | float | str] = {
            "rollout": state.rollout,
            "source": state.source,
            "rule": decision.reason,
        }
        if decision.bucket is not None:
            metadata["bucket"] = decision.bucket
        return FlagResolutionDetails(
            value=decision.enabled,
            reason=_REASONS[decision.reason],
            variant="on" if decision.enabled else "off",
            flag_metadata=metadata,
        )

    def resolve_string_details(
        self,
        flag_key: str,
        default_value: str,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[str]:
        return _type_mismatch(default_value)

    def resolve_integer_details(
        self,
        flag_key: str,
        default_value: int,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[int]:
        return _type_mismatch(default_value)

    def resolve_float_details(
        self,
        flag_key: str,
        default_value: float,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[float]:
        return _type_mismatch(default_value)

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: Sequence[FlagValueType] | Mapping[str, FlagValueType],
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[Sequence[FlagValueType] | Mapping[str, FlagValueType]]:
        return _type_mismatch(default_value)


def _type_mismatch(default_value: T) -> FlagResolutionDetails[T]:
    return FlagResolutionDetails(
        value=default_value,
        reason=Reason.ERROR,
        error_code=ErrorCode.TYPE_MISMATCH,
        error_message="findash flags are booleans",
    )


def provider_register() -> None:
    """Install the default OpenFeature provider (called once at start-up).

    ``FLAGS_PROVIDER`` names a zero-argument callable returning another provider (an
    Unleash or flagd one); empty means findash's own store.
    """
    factory_path = str(getattr(settings, "FLAGS_PROVIDER", "") or "")
    if factory_path:
        factory = import_string(factory_path)
        api.set_provider(factory())
    else:
        api.set_provider(FindashFlagProvider())
