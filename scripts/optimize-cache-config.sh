#!/usr/bin/env bash
# Recommendations for the cache behind CACHE_URL from its own statistics: memory limit,
# eviction policy, evictions, hit ratio against DASHBOARD_CACHE_TTL. With --apply, a Redis
# that would refuse writes when full (maxmemory-policy noeviction) is switched to
# allkeys-lru (CONFIG SET; persist it in redis.conf). Nothing else is changed automatically.
#
# Usage: scripts/optimize-cache-config.sh [ENV] [--apply]     (default production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
apply=()
env_name=production
for arg in "$@"; do
  if [ "$arg" = --apply ]; then apply=(--apply); else env_name=$arg; fi
done
load_env "$env_name"
[ -z "${HOST_CACHE_URL:-}" ] || CACHE_URL=$HOST_CACHE_URL
CACHE_URL=$CACHE_URL "$PY" "$REPO_ROOT/ci/scripts/cache_stats.py" advise "${apply[@]}"
