"""Who is in a rollout: the same arithmetic as Unleash's ``flexibleRollout`` strategy.

bucket = MurmurHash3 x86 32-bit (seed 0, unsigned) of ``"{group_id}:{tenant_id}"``,
``% 100 + 1``; a tenant is in when ``rollout > 0 and bucket <= rollout``. Because the
bucket never changes, a tenant that is in at p % stays in at every higher percentage,
and an operator can move to an Unleash server (same group id) without reshuffling anyone.
"""

from __future__ import annotations

import mmh3


def rollout_bucket(*, group_id: str, tenant_id: str) -> int:
    """A number from 1 to 100, fixed for this group and tenant (Unleash's normalizedValue)."""
    return int(mmh3.hash(f"{group_id}:{tenant_id}", 0, signed=False)) % 100 + 1


def rollout_includes(*, rollout: int, bucket: int) -> bool:
    return rollout > 0 and bucket <= rollout
