"""Auth and tenants: registration, tokens, tenants, members, personal API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from findash.tenancy import selectors, services
from findash.tenancy.auth import request_actor
from findash.tenancy.models import ApiToken, Membership
from findash.tenancy.schemas import (
    ApiTokenCreatedOut,
    ApiTokenCreateIn,
    ApiTokenOut,
    MemberAddIn,
    MemberOut,
    RefreshIn,
    RegisterIn,
    RegisterOut,
    TenantCreateIn,
    TenantOut,
    TokenIn,
    TokenPairOut,
)
from findash.tenancy.tokens import TokenPair, token_pair_refresh

router = Router(tags=["auth and tenants"])


@router.post("/auth/register", auth=None, response={201: RegisterOut})
def register(request: HttpRequest, payload: RegisterIn) -> Status[services.Registration]:
    return Status(201, services.user_register(**payload.model_dump()))


@router.post("/auth/token", auth=None, response=TokenPairOut)
def token(request: HttpRequest, payload: TokenIn) -> TokenPair:
    # REMOTE_ADDR is the peer; a trusted proxy must set it (not X-Forwarded-For, spoofable).
    ip = request.META.get("REMOTE_ADDR")
    return services.user_login(username=payload.username, password=payload.password, ip=ip)


@router.post("/auth/refresh", auth=None, response=TokenPairOut)
def refresh(request: HttpRequest, payload: RefreshIn) -> TokenPair:
    return token_pair_refresh(refresh_token=payload.refresh_token)


@router.get("/tenant/info", response=TenantOut)
def tenant_info(request: HttpRequest) -> Membership:
    return selectors.tenant_info_get(actor=request_actor(request))


@router.post("/tenants", response={201: TenantOut})
def tenant_create(request: HttpRequest, payload: TenantCreateIn) -> Status[Membership]:
    return Status(201, services.tenant_create(actor=request_actor(request), **payload.model_dump()))


@router.get("/tenants", response=list[TenantOut])
@paginate(LimitOffsetPagination)
def tenant_list(request: HttpRequest, **kwargs: Any) -> QuerySet[Membership]:
    return selectors.tenant_list(actor=request_actor(request))


@router.post("/tenants/{tenant_id}/members", response={201: MemberOut})
def member_add(request: HttpRequest, tenant_id: str, payload: MemberAddIn) -> Status[Membership]:
    actor = request_actor(request)
    return Status(
        201, services.membership_add(actor=actor, tenant_id=tenant_id, **payload.model_dump())
    )


@router.post("/auth/api-tokens", response={201: ApiTokenCreatedOut})
def api_token_create(
    request: HttpRequest, payload: ApiTokenCreateIn
) -> Status[services.IssuedApiToken]:
    return Status(
        201, services.api_token_create(actor=request_actor(request), **payload.model_dump())
    )


@router.get("/auth/api-tokens", response=list[ApiTokenOut])
@paginate(LimitOffsetPagination)
def api_token_list(request: HttpRequest, **kwargs: Any) -> QuerySet[ApiToken]:
    return selectors.api_token_list(actor=request_actor(request))


@router.delete("/auth/api-tokens/{token_id}", response={204: None})
def api_token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request_actor(request), token_id=token_id)
    return Status(204, None)
