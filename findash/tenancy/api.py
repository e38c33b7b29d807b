"""Auth and tenants: registration, tokens, tenants, invitations, personal API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from findash.common.pagination import Pagination
from findash.tenancy import selectors, services
from findash.tenancy.auth import request_actor
from findash.tenancy.models import ApiToken, Invitation, Membership
from findash.tenancy.schemas import (
    ApiTokenCreatedOut,
    ApiTokenCreateIn,
    ApiTokenOut,
    InvitationAnswerOut,
    InvitationCreatedOut,
    InvitationOut,
    MemberAddIn,
    PasswordChangeIn,
    RefreshIn,
    RegisterIn,
    RegisterOut,
    TenantCreateIn,
    TenantOut,
    TokenIn,
    TokenPairOut,
)
from findash.tenancy.tokens import TokenPair, token_pair_refresh, token_pair_revoke

router = Router(tags=["auth and tenants"])


@router.post("/auth/register", auth=None, response={201: RegisterOut})
def register(request: HttpRequest, payload: RegisterIn) -> Status[services.Registration]:
    ip = request.META.get("REMOTE_ADDR")
    return Status(201, services.user_register(**payload.model_dump(), ip=ip))


@router.post("/auth/token", auth=None, response=TokenPairOut)
def token(request: HttpRequest, payload: TokenIn) -> TokenPair:
    # REMOTE_ADDR is the peer; a trusted proxy must set it (not X-Forwarded-For, spoofable).
    ip = request.META.get("REMOTE_ADDR")
    return services.user_login(username=payload.username, password=payload.password, ip=ip)


@router.post("/auth/refresh", auth=None, response=TokenPairOut)
def refresh(request: HttpRequest, payload: RefreshIn) -> TokenPair:
    return token_pair_refresh(refresh_token=payload.refresh_token)


@router.post("/auth/logout", auth=None, response={204: None})
def logout(request: HttpRequest, payload: RefreshIn) -> Status[None]:
    """Ends the refresh token's session: its family and that family's access tokens."""
    token_pair_revoke(refresh_token=payload.refresh_token)
    return Status(204, None)


@router.post("/auth/password", response={204: None})
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> Status[None]:
    """Changes the caller's password and ends every session of theirs."""
    services.user_password_change(
        actor=request_actor(request), **payload.model_dump(), ip=request.META.get("REMOTE_ADDR")
    )
    return Status(204, None)


@router.get("/tenant/info", response=TenantOut)
def tenant_info(request: HttpRequest) -> Membership:
    return selectors.tenant_info_get(actor=request_actor(request))


@router.post("/tenants", response={201: TenantOut})
def tenant_create(request: HttpRequest, payload: TenantCreateIn) -> Status[Membership]:
    return Status(201, services.tenant_create(actor=request_actor(request), **payload.model_dump()))


@router.get("/tenants", response=list[TenantOut])
@paginate(Pagination)
def tenant_list(request: HttpRequest, **kwargs: Any) -> QuerySet[Membership]:
    return selectors.tenant_list(actor=request_actor(request))


@router.post("/tenants/{tenant_id}/members", response={202: InvitationCreatedOut})
def member_invite(
    request: HttpRequest, tenant_id: str, payload: MemberAddIn
) -> Status[dict[str, object]]:
    """Invite a user; they become a member only by accepting. Same answer for any username."""
    actor = request_actor(request)
    invitation = services.membership_invite(
        actor=actor, tenant_id=tenant_id, **payload.model_dump()
    )
    return Status(202, {"invitation_id": invitation.pk, "status": "pending"})


@router.get("/invitations", response=list[InvitationOut])
@paginate(Pagination)
def invitation_list(request: HttpRequest, **kwargs: Any) -> QuerySet[Invitation]:
    return selectors.invitation_list(actor=request_actor(request))


def _answer(invitation: Invitation) -> dict[str, object]:
    return {
        "invitation_id": invitation.pk,
        "status": invitation.status,
        "tenant_id": invitation.tenant.public_id,
        "role": invitation.role,
    }


@router.post("/invitations/{invitation_id}/accept", response=InvitationAnswerOut)
def invitation_accept(request: HttpRequest, invitation_id: int) -> dict[str, object]:
    actor = request_actor(request)
    return _answer(services.invitation_accept(actor=actor, invitation_id=invitation_id))


@router.post("/invitations/{invitation_id}/decline", response=InvitationAnswerOut)
def invitation_decline(request: HttpRequest, invitation_id: int) -> dict[str, object]:
    actor = request_actor(request)
    return _answer(services.invitation_decline(actor=actor, invitation_id=invitation_id))


@router.post("/auth/api-tokens", response={201: ApiTokenCreatedOut})
def api_token_create(
    request: HttpRequest, payload: ApiTokenCreateIn
) -> Status[services.IssuedApiToken]:
    return Status(
        201, services.api_token_create(actor=request_actor(request), **payload.model_dump())
    )


@router.get("/auth/api-tokens", response=list[ApiTokenOut])
@paginate(Pagination)
def api_token_list(request: HttpRequest, **kwargs: Any) -> QuerySet[ApiToken]:
    return selectors.api_token_list(actor=request_actor(request))


@router.delete("/auth/api-tokens/{token_id}", response={204: None})
def api_token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(actor=request_actor(request), token_id=token_id)
    return Status(204, None)
