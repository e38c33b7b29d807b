"""The benchmark's data builder, at a tiny size: its tenant is consistent and dashboards."""

from __future__ import annotations

from datetime import date

import pytest

from bench.dashboard import _build, _p95, _time
from findash.dashboard.periods import Period
from findash.dashboard.selectors import dashboard_data_get
from findash.ledger.models import Transaction
from findash.ledger.rollup_rebuild import rollups_verify
from findash.tenancy.scoping import tenant_scope


@pytest.mark.django_db
def test_bench_builds_a_consistent_tenant() -> None:
    today = date(2026, 6, 15)
    tenant = _build(300, today, rebuild=False)
    with tenant_scope(tenant):
        assert Transaction.objects.count() == 300
    assert rollups_verify(tenant=tenant) == []
    assert _build(300, today, rebuild=False).pk == tenant.pk  # reused
    period = Period(date(2025, 6, 1), date(2026, 5, 31))
    with tenant_scope(tenant):  # as the API's auth enters it for a request
        timings = _time(lambda: dashboard_data_get(tenant=tenant, period=period), runs=3)
        data = dashboard_data_get(tenant=tenant, period=period)
    assert len(timings) == 3 and _p95(timings) == max(timings)
    assert data.transactions.count > 0 and len(data.budgets) == 5 * 12
