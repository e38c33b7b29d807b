"""Schemas of the auth and tenant endpoints."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from findash.common.schemas import BoundedDateTime, StrictIn
from findash.tenancy.models import Invitation, Membership

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


class PasswordChangeIn(StrictIn):
    current_password: str = Field(..., max_length=4096)
    new_password: str = Field(..., min_length=1, max_length=4096)


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


class InvitationCreatedOut(Schema):
    """The same answer whether or not the username exists."""

    invitation_id: int
    status: Literal["pending"]


class InvitationOut(Schema):
    id: int
    tenant_id: str
    tenant_name: str
    role: str
    invited_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_tenant_id(obj: Invitation) -> str:
        return obj.tenant.public_id

    @staticmethod
    def resolve_tenant_name(obj: Invitation) -> str:
        return obj.tenant.name

    @staticmethod
    def resolve_invited_by(obj: Invitation) -> str | None:
        return obj.invited_by.username if obj.invited_by else None


class InvitationAnswerOut(Schema):
    invitation_id: int
    status: Literal["accepted", "declined"]
    tenant_id: str
    role: str


class ApiTokenCreateIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    scope: ScopeName
    expires_at: BoundedDateTime | None = Field(
        None, description="UTC offsets up to ±14:00; at most 2200-12-31 (naive means UTC)"
    )


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
