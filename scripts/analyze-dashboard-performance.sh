#!/usr/bin/env bash
# Per-endpoint performance from the application's own access lines (one JSON line per
# request: endpoint, status, duration_ms, cache_hit): count, mean, p50/p95/p99, cache hits
# and 5xx, slowest first; exits 1 when a dashboard endpoint's p95 is over P95_MS (200).
#
# Usage: scripts/analyze-dashboard-performance.sh [ENV | FILE...]   (default production)
#   ENV   the native runtime's slot logs ($STATE/logs/*-error.log, where the app logs go), or
#         `docker compose logs web` on the compose runtime
#   FILE  any log files holding those lines; `-` reads stdin
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
p95=(--p95-ms "${P95_MS:-200}")
case "${1:-production}" in
development | testing | staging | production)
  load_env "${1:-production}"
  if [ "$(deploy_runtime)" = compose ]; then
    # shellcheck source=ci/scripts/compose-runtime.sh
    . "$REPO_ROOT/ci/scripts/compose-runtime.sh"
    compose_setup
    "${COMPOSE[@]}" logs --no-color --no-log-prefix web | "$PY" "$REPO_ROOT/ci/scripts/ops_http.py" logs "${p95[@]}"
  else
    mapfile -t files < <(find "$STATE/logs" -name '*-error.log' 2>/dev/null)
    [ ${#files[@]} -gt 0 ] || die "no logs of $ENV_NAME in $STATE/logs"
    "$PY" "$REPO_ROOT/ci/scripts/ops_http.py" logs "${p95[@]}" "${files[@]}"
  fi
  ;;
-) python3 "$(dirname "$0")/../ci/scripts/ops_http.py" logs "${p95[@]}" ;;
*) python3 "$(dirname "$0")/../ci/scripts/ops_http.py" logs "${p95[@]}" "$@" ;;
esac
