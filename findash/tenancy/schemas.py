"""Schemas of the auth and tenant endpoints."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from findash.common.schemas import StrictIn
from findash.tenancy.models import Membership

# Django's own username rule (UnicodeUsernameValidator), so the API and the admin agree.
_USERNAME = re.compile(r"^[\w.@+-]+\Z")

RoleName = Literal["owner", "admin", "member", "viewer"]
ScopeName = Literal["read", "read_write"]


class RegisterIn(StrictIn):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)
    email: str | None = Field(None, max_length=254)
    base_currency: str = "USD"

    @field_validator("username")
    @classmethod
    def _username_chars(cls, value: str) -> str:
        if not _USERNAME.match(value):
            raise ValueError("may contain only letters, digits and the characters @ . + - _")
        return value


class RegisterOut(Schema):
    user_id: int
    username: str
    tenant_id: str


class TokenIn(StrictIn):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)


class RefreshIn(StrictIn):
    refresh_token: str = Field(..., max_length=4096)


class TokenPairOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class TenantCreateIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=200)
    base_currency: str


class TenantOut(Schema):
    """A tenant as seen by one member: built from a Membership (or anything with tenant, role)."""

    tenant_id: str
    tenant_type: str
    name: str
    base_currency: str
    role: str

    @staticmethod
    def resolve_tenant_id(obj: Membership) -> str:
        return obj.tenant.public_id

    @staticmethod
    def resolve_tenant_type(obj: Membership) -> str:
        return obj.tenant.tenant_type

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.tenant.name

    @staticmethod
    def resolve_base_currency(obj: Membership) -> str:
        return obj.tenant.base_currency


class MemberAddIn(StrictIn):
    username: str = Field(..., min_length=1, max_length=150)
    role: RoleName


class MemberOut(Schema):
    tenant_id: str
    user_id: int
    username: str
    role: str

    @staticmethod
    def resolve_tenant_id(obj: Membership) -> str:
        return obj.tenant.public_id

    @staticmethod
    def resolve_username(obj: Membership) -> str:
        return obj.user.username


class ApiTokenCreateIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    scope: ScopeName
    expires_at: datetime | None = None


class ApiTokenOut(Schema):
    """A token as listed: never the secret, only the prefix that identifies it."""

    id: int
    name: str
    scope: str
    prefix: str
    expires_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(..., description="The secret. Shown once; only its hash is stored.")
