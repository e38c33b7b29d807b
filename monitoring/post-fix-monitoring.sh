#!/usr/bin/env bash
# After a fix: watch the error ratio (5xx / all requests) and the dashboard p99 for a while,
# one line per interval; exits 1 if any interval broke a limit. Without Prometheus the
# numbers are the differences between two scrapes of /metrics; with PROMETHEUS_URL they are
# the recorded series http_error_ratio and dashboard:request_duration_seconds:p99.
#
# Usage: monitoring/post-fix-monitoring.sh DURATION [ENV]    e.g. 30m production
#   INTERVAL (30s), MAX_ERROR_RATIO (0.001 = 0.1 %), MAX_P99 (0.2 s), PROMETHEUS_URL
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
[ $# -ge 1 ] || die "usage: $0 DURATION [ENV]   (DURATION like 90s, 30m, 2h)"
duration=$1
load_env "${2:-production}"
extra=()
[ -z "${PROMETHEUS_URL:-}" ] || extra=(--prometheus "$PROMETHEUS_URL")
ops_http watch --duration "$duration" --interval "${INTERVAL:-30s}" \
  --max-error-ratio "${MAX_ERROR_RATIO:-0.001}" --max-p99 "${MAX_P99:-0.2}" "${extra[@]}"
