"""Reads behind the web pages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from findash.common.errors import InvalidInput
from findash.dashboard.periods import period_resolve
from findash.dashboard.response_cache import dashboard_answer_get
from findash.dashboard.selectors import dashboard_data_get
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
    # GET /financial/dashboard's answer for the page's period (parsed) and its ETag, when
    # the flag is on and the period valid; the page then draws it without asking again.
    dashboard: dict[str, Any] | None = None
    dashboard_etag: str = ""


def dashboard_panel_get(
    *, actor: Actor, period_params: Mapping[str, str | None] | None = None
) -> DashboardPanel:
    """The panel; with ``period_params`` (start, end, period as the API takes them) also
    the dashboard's answer for them, from the same cache and with the same ETag."""
    tenant = actor.tenant
    enabled = flag_enabled(DASHBOARD_FLAG, tenant=actor.tenant)
    answer, etag = None, ""
    if enabled and period_params is not None:
        params = {name: period_params.get(name) for name in ("start", "end", "period")}
        try:
            period = period_resolve(**params, today=timezone.localdate())
        except InvalidInput:
            pass  # the page asks the API itself and shows the API's 422
        else:
            body, etag = dashboard_answer_get(
                tenant_id=tenant.pk,
                endpoint="dashboard",
                params=params,
                compute=lambda: dashboard_data_get(tenant=tenant, period=period),
            )
            answer = json.loads(body)
    return DashboardPanel(
        tenant_id=tenant.public_id,
        tenant_name=tenant.name,
        tenant_type=tenant.tenant_type,
        base_currency=tenant.base_currency,
        role=actor.role,
        dashboard_enabled=enabled,
        dashboard=answer,
        dashboard_etag=etag,
    )
