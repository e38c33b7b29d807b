"""The Tenant model: a person or an organization owning accounts, transactions and budgets.

Its own module so that ``scoping`` (which types the acting tenant) and ``models`` (whose
tenant-owned models use ``scoping``) import it without importing each other.
"""

from __future__ import annotations

import re

from django.db import models

_PUBLIC_ID = re.compile(r"^(user|org)_(\d{1,18})$")


class Tenant(models.Model):
    class Type(models.TextChoices):
        USER = "user"
        ORGANIZATION = "organization"

    tenant_type = models.CharField(max_length=16, choices=Type.choices)
    name = models.CharField(max_length=200)
    base_currency = models.CharField(max_length=3, default="USD")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.public_id} {self.name}"

    @property
    def public_id(self) -> str:
        prefix = "user" if self.tenant_type == self.Type.USER else "org"
        return f"{prefix}_{self.pk}"

    @staticmethod
    def parse_public_id(public_id: str) -> tuple[str, int] | None:
        match = _PUBLIC_ID.match(public_id or "")
        if match is None:
            return None
        kind = Tenant.Type.USER if match.group(1) == "user" else Tenant.Type.ORGANIZATION
        return kind, int(match.group(2))
