"""Admin-only flag API: staff read and change flags (the one service does the work)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from findash.common.errors import Forbidden
from findash.flags.schemas import FlagDetailOut, FlagOut, FlagPatchIn
from findash.flags.selectors import FlagView, flag_audit_list, flag_get, flag_list
from findash.flags.services import flag_update
from findash.flags.store import flag_store
from findash.tenancy.auth import request_actor

router = Router(tags=["flags"])


def _staff_username(request: HttpRequest) -> str:
    user = request_actor(request).user
    if not user.is_staff:
        raise Forbidden("only staff may read or change feature flags")
    return user.get_username()


def _out(view: FlagView) -> dict[str, Any]:
    return {
        "key": view.key,
        "description": view.description,
        **view.state.as_dict(),
        "source": view.state.source,
        "updated_at": view.updated_at,
        "updated_by": view.updated_by,
    }


def _detail(key: str) -> dict[str, Any]:
    view = flag_get(key=key)
    serving = flag_store.states()[key]
    return {
        **_out(view),
        "serving": {**serving.as_dict(), "source": serving.source},
        "audit": flag_audit_list(key=key),
    }


@router.get("/admin/flags", response=list[FlagOut])
def flags_list(request: HttpRequest) -> list[dict[str, Any]]:
    _staff_username(request)
    return [_out(view) for view in flag_list()]


@router.get("/admin/flags/{key}", response=FlagDetailOut)
def flags_get(request: HttpRequest, key: str) -> dict[str, Any]:
    _staff_username(request)
    return _detail(key)


@router.patch("/admin/flags/{key}", response=FlagDetailOut)
def flags_patch(request: HttpRequest, key: str, payload: FlagPatchIn) -> dict[str, Any]:
    username = _staff_username(request)
    flag_update(key=key, **payload.model_dump(exclude_none=True), actor=f"api:{username}")
    return _detail(key)
