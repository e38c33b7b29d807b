"""Reads behind the web pages."""

from __future__ import annotations

from dataclasses import dataclass

from findash.flags.evaluation import flag_enabled
from findash.tenancy.auth import Actor

DASHBOARD_FLAG = "dashboard"


@dataclass(frozen=True)
class DashboardPanel:
    """What the server knows about the acting tenant when it renders the panel."""

    tenant_id: str
    tenant_name: str
    tenant_type: str
    base_currency: str
    role: str
    dashboard_enabled: bool


def dashboard_panel_get(*, actor: Actor) -> DashboardPanel:
    tenant = actor.tenant
    return DashboardPanel(
        tenant_id=tenant.public_id,
        tenant_name=tenant.name,
        tenant_type=tenant.tenant_type,
        base_currency=tenant.base_currency,
        role=actor.role,
        dashboard_enabled=flag_enabled(DASHBOARD_FLAG, tenant=actor.tenant),
    )
