#!/usr/bin/env bash
# The dashboard's numbers from the running service's /metrics: requests and 5xx ratio,
# cache hit ratio, active tenants, p50/p90/p99 per endpoint (from the histogram buckets),
# CPU and memory of the serving processes, dependency health. Exits 1 when the dashboard
# error ratio is above 0.1 % or a dependency is down. For rates over time, Grafana's
# "findash — performance" dashboard or monitoring/post-fix-monitoring.sh.
#
# Usage: monitoring/production-dashboard-metrics.sh [ENV]    (default production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-production}"
ops_http metrics
