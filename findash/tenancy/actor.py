"""Who is acting: the user, the acting tenant, their role there and the API token used."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from findash.tenancy.models import ApiToken, Role, Tenant


@dataclass(frozen=True)
class Actor:
    user: User
    tenant: Tenant
    role: str
    api_token: ApiToken | None = None

    @property
    def can_write(self) -> bool:
        """May change the tenant's data."""
        return self.role != Role.VIEWER and self.can_change_own_settings

    @property
    def can_change_own_settings(self) -> bool:
        """May change what is the user's own in the tenant (notification preferences):
        any role, but not through a read-only API token."""
        return self.api_token is None or self.api_token.scope == ApiToken.Scope.READ_WRITE
