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
        if self.role == Role.VIEWER:
            return False
        return self.api_token is None or self.api_token.scope == ApiToken.Scope.READ_WRITE
