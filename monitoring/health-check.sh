#!/usr/bin/env bash
# Health of a findash deployment, one ✅/❌ line per component; exits 1 when anything fails.
#
#   monitoring/health-check.sh production            # development|testing|staging|production
#   monitoring/health-check.sh blue [ENV]            # one blue-green slot of ENV (production)
#   monitoring/health-check.sh http://127.0.0.1:8002 # or any base URL
#
# Ports come from deploy/environments.tsv (HTTP_PORT/HTTPS_PORT override an environment's,
# as for the deploy scripts). HEALTH_CHECK_TOKEN (a bearer token or API token) makes the
# dashboard check call /financial/dashboard/summary for real; without it the route
# must answer 401 (alive and guarded). HEALTH_CHECK_TIMEOUT: seconds per call (5).
# Redirects (production's HTTP → HTTPS) are followed.
# REQUIRE_LOAD_BALANCER=1 fails when no nginx is in front of the URL.
set -uo pipefail

usage() { echo "usage: $0 development|testing|staging|production|blue [ENV]|green [ENV]|URL" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
TABLE=$(dirname "$0")/../deploy/environments.tsv
ports() { awk -F'\t' -v env="$1" '$1 == env { print $2, $3, $4, $5; found = 1 } END { exit !found }' "$TABLE"; }
EXTRA_HEADERS=()
case "$1" in
  development | testing | staging | production)
    [ $# -eq 1 ] || usage
    read -r http https _ _ < <(ports "$1")
    http=${HTTP_PORT:-$http}
    https=${HTTPS_PORT-$https}
    if [ -n "$https" ] && [ "$https" != - ]; then
      BASE=https://127.0.0.1$([ "$https" = 443 ] || printf ':%s' "$https")
    else
      BASE=http://127.0.0.1$([ "$http" = 80 ] || printf ':%s' "$http")
    fi ;;
  blue | green)
    env=${2:-production}
    read -r _ _ blue green < <(ports "$env") || usage
    port=$blue
    [ "$1" = blue ] || port=$green
    BASE=http://127.0.0.1:$port
    # A slot is reached directly, as nginx would forward a TLS request to it.
    EXTRA_HEADERS=("X-Forwarded-Proto: https") ;;
  http://* | https://*) [ $# -eq 1 ] || usage; BASE=${1%/} ;;
  *) usage ;;
esac
TIMEOUT=${HEALTH_CHECK_TIMEOUT:-5}
# Production's plain-HTTP port redirects API paths to HTTPS: follow it. On loopback the
# certificate names a public host, so it is not verified there (HEALTH_CHECK_INSECURE=1
# does the same elsewhere).
CURL_TLS=()
case "$BASE" in
  http://127.0.0.1* | https://127.0.0.1* | http://localhost* | https://localhost*) CURL_TLS=(-k) ;;
esac
[ "${HEALTH_CHECK_INSECURE:-0}" = 1 ] && CURL_TLS=(-k)
PYTHON=$(command -v python3 || command -v python) || { echo "❌ python3 is needed"; exit 2; }
failed=0
ok() { echo "✅ $1: healthy${2:+ ($2)}"; }
bad() { echo "❌ $1: unhealthy${2:+ ($2)}"; failed=1; }

# fetch PATH [HEADER...] → sets STATUS, BODY, SERVER
fetch() {
  local path=$1; shift
  local args=(-sS -L "${CURL_TLS[@]}" -m "$TIMEOUT" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}')
  local header
  for header in "${EXTRA_HEADERS[@]}" "$@"; do args+=(-H "$header"); done
  STATUS=$(curl "${args[@]}" "$BASE$path" 2>"$tmp/error") || STATUS=000
  BODY=$(cat "$tmp/body" 2>/dev/null || true)
  SERVER=$(tr -d '\r' <"$tmp/headers" 2>/dev/null | awk -F': ' 'tolower($1)=="server"{print $2}' | tail -1)
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

json_field() { # json_field EXPR  (reads $BODY; EXPR indexes `d`)
  printf '%s' "$BODY" | "$PYTHON" -c "import json,sys
try:
    d = json.load(sys.stdin); print($1)
except Exception:
    print('')" 2>/dev/null
}

echo "findash health at $BASE"

fetch /health
if [ "$STATUS" = 200 ] && [ "$(json_field 'd["status"]')" = healthy ]; then
  ok "Web service"
else
  bad "Web service" "GET /health answered $STATUS $(head -c 200 "$tmp/error")"
fi
front=$SERVER

fetch /health/dashboard
for service in Database Cache; do
  key=$(echo "$service" | tr '[:upper:]' '[:lower:]')
  state=$(json_field "d['services']['$key']['status']")
  latency=$(json_field "d['services']['$key']['latency_ms']")
  if [ "$state" = healthy ]; then
    ok "$service" "${latency} ms"
  elif [ -n "$state" ]; then
    bad "$service" "$(json_field "d['services']['$key'].get('error') or ''") after ${latency} ms"
  else
    bad "$service" "GET /health/dashboard answered $STATUS"
  fi
done

dashboard_state=$(json_field "d['services']['dashboard']['status']")
if [ -n "${HEALTH_CHECK_TOKEN:-}" ]; then
  fetch /financial/dashboard/summary "Authorization: Bearer $HEALTH_CHECK_TOKEN"
  expected=200
else
  fetch /financial/dashboard/summary
  expected=401
fi
if [ "$dashboard_state" = healthy ] && [ "$STATUS" = "$expected" ]; then
  ok "Dashboard endpoints" "/financial/dashboard/summary answered $STATUS"
else
  bad "Dashboard endpoints" "data check ${dashboard_state:-unknown}, /financial/dashboard/summary answered $STATUS, expected $expected"
fi

case "$front" in
  nginx*)
    # nginx answered; a 502/504 above would mean it has no live upstream.
    fetch /health
    if [ "$STATUS" = 200 ]; then ok "Load balancer" "$front"; else bad "Load balancer" "$front answered $STATUS"; fi ;;
  *)
    if [ "${REQUIRE_LOAD_BALANCER:-0}" = 1 ]; then
      bad "Load balancer" "no nginx in front of $BASE (Server: ${front:-none})"
    else
      echo "➖ Load balancer: none in front of $BASE (Server: ${front:-none}); skipped"
    fi ;;
esac

exit $failed
