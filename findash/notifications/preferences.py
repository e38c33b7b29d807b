"""Who is told: each member's notification preferences, with defaults by role.

Budget alerts are on by default for owners and admins and off for members and
viewers; anyone can switch them on or off. The monthly summary is opt-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from findash.common.patches import patch_changes
from findash.notifications.models import NotificationPreference
from findash.tenancy.models import Membership, Role, Tenant
from findash.tenancy.scoping import scope_require

ALERTS_ON_BY_DEFAULT = frozenset({Role.OWNER, Role.ADMIN})


@dataclass(frozen=True)
class Preferences:
    budget_alerts: bool
    budget_alerts_default: bool
    monthly_summary: bool
    email: str


def _effective(pref: NotificationPreference | None, role: str) -> tuple[bool, bool]:
    default = role in ALERTS_ON_BY_DEFAULT
    chosen = pref.budget_alerts if pref is not None else None
    return (default if chosen is None else chosen), default


def preferences_get(*, tenant: Tenant, user: User, role: str) -> Preferences:
    pref = NotificationPreference.objects.filter(user=user).first()
    alerts, default = _effective(pref, role)
    return Preferences(
        budget_alerts=alerts,
        budget_alerts_default=default,
        monthly_summary=bool(pref and pref.monthly_summary),
        email=user.email,
    )


def preferences_update(
    *, tenant: Tenant, user: User, role: str, changes: Mapping[str, Any]
) -> Preferences:
    scope_require(tenant)
    changes = patch_changes(changes, null_message="{field} cannot be null")
    with transaction.atomic():
        pref, _ = NotificationPreference.objects.get_or_create(tenant=tenant, user=user)
        for field in ("budget_alerts", "monthly_summary"):
            if field in changes:
                setattr(pref, field, changes[field])
        pref.save()
    return preferences_get(tenant=tenant, user=user, role=role)


def _members_with_email(tenant: Tenant) -> list[Membership]:
    return list(
        Membership.objects.filter(tenant=tenant, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )


def alert_recipients(*, tenant: Tenant) -> list[User]:
    """Members (with an email address) who get budget alerts."""
    prefs = {p.user_id: p for p in NotificationPreference.objects.all()}
    return [
        m.user for m in _members_with_email(tenant) if _effective(prefs.get(m.user_id), m.role)[0]
    ]


def summary_recipients(*, tenant: Tenant) -> list[User]:
    """Members (with an email address) who opted in to the monthly summary."""
    opted = set(
        NotificationPreference.objects.filter(monthly_summary=True).values_list(
            "user_id", flat=True
        )
    )
    return [m.user for m in _members_with_email(tenant) if m.user_id in opted]
