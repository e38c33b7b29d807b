"""Feature flag evaluation (placeholder until the flag store lands: everything is on)."""

from __future__ import annotations

from findash.tenancy.models import Tenant


def flag_enabled(key: str, *, tenant: Tenant) -> bool:
    return True
