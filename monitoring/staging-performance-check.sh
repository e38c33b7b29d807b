#!/usr/bin/env bash
# Latency of staging against the guide's targets: /health (API) p95 ≤ 100 ms and each of the
# five dashboard endpoints p95 ≤ 200 ms, measured with the validation user's token over
# REQUESTS requests (50) at CONCURRENCY (5); exits 1 when a target is missed.
#
# Usage: monitoring/staging-performance-check.sh [ENV]       (default staging)
#   P95_MS / HEALTH_P95_MS change the targets; FINDASH_URL measures another URL.
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-staging}"
say "── performance of $ENV_NAME at $(service_url)"
ops_http perf --state "$STATE" --requests "${REQUESTS:-50}" --concurrency "${CONCURRENCY:-5}" \
  --p95-ms "${P95_MS:-200}" --health-p95-ms "${HEALTH_P95_MS:-100}"
