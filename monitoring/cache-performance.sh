#!/usr/bin/env bash
# The cache from both sides: the cache server behind CACHE_URL (hits, misses, hit ratio,
# memory, evictions, keys — Redis INFO or memcached stats) and the application's dashboard
# cache counters from /metrics. Exits 1 when a hit ratio is below 80 % or keys are evicted.
#
# Usage: monitoring/cache-performance.sh [ENV]      (default production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-production}"
[ -z "${HOST_CACHE_URL:-}" ] || CACHE_URL=$HOST_CACHE_URL
failed=0
say "── cache server ($ENV_NAME)"
CACHE_URL=$CACHE_URL "$PY" "$REPO_ROOT/ci/scripts/cache_stats.py" report || failed=1
say "── dashboard cache as the application counts it"
ops_http metrics | grep -E "dashboard cache|✅|❌" || failed=1
exit "$failed"
