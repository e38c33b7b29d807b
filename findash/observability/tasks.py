"""Beat task: warm the default dashboard of the tenants active in the last 15 minutes.

The first request after a write then usually finds its answer cached. Tenants whose
``dashboard`` flag is off are skipped, as their requests would be.
"""

from __future__ import annotations

import functools
import logging

from celery import shared_task
from django.utils import timezone

from findash.dashboard.periods import period_resolve
from findash.dashboard.response_cache import dashboard_cache_warm
from findash.dashboard.selectors import dashboard_data_get
from findash.flags.evaluation import flag_enabled
from findash.observability.activity import active_tenant_ids
from findash.tenancy.models import Tenant
from findash.tenancy.scoping import tenant_scope

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, object] = {"start": None, "end": None, "period": None}


@shared_task
def dashboards_warm() -> int:
    """Returns how many dashboards were computed (the rest were cached already)."""
    tenant_ids = active_tenant_ids()
    if not tenant_ids:
        return 0
    computed = 0
    for tenant in Tenant.objects.filter(pk__in=tenant_ids):
        if not flag_enabled("dashboard", tenant=tenant):
            continue
        with tenant_scope(tenant):
            period = period_resolve(start=None, end=None, period=None, today=timezone.localdate())
            computed += dashboard_cache_warm(
                tenant_id=tenant.pk,
                endpoint="dashboard",
                params=DEFAULT_PARAMS,
                compute=functools.partial(dashboard_data_get, tenant=tenant, period=period),
            )
    logger.info("dashboards warmed: %d computed of %d active tenants", computed, len(tenant_ids))
    return computed
