#!/usr/bin/env bash
# Security of a deployment, one ✅/❌ line per check; exits 1 on any ❌:
#   headers   X-Content-Type-Options, X-Frame-Options, Referrer-Policy, no version in Server
#   TLS       (https URLs) TLS 1.2+, TLS 1.0/1.1 refused, HSTS ≥ 180 days, certificate not
#             about to expire, plain HTTP redirected
#   debug     no Django debug page on a 404; the dashboard refuses anonymous calls
#   secrets   SECRET_KEY strong and not the default, state files mode 600, no env file or
#             key tracked by git
#   Django    `manage.py check --deploy --fail-level WARNING` with the environment's settings
#
# Usage: security/production-security-check.sh [ENV]        (default production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-production}"
failed=0
say "── security of $ENV_NAME at $(service_url)"
ops_http security || failed=1

resolve_secret 2>/dev/null || true
if [ ${#SECRET_KEY} -ge 50 ] && [[ $SECRET_KEY != insecure-* ]]; then
  ok "SECRET_KEY is set, ${#SECRET_KEY} characters, not the default"
else
  warn "SECRET_KEY is missing, short or the insecure default"
  failed=1
fi
for file in "$STATE/secret" "$STATE/validator" "${TLS_KEY:-}"; do
  [ -n "$file" ] && [ -f "$file" ] || continue
  mode=$(stat -c %a "$file")
  if [ "$mode" = 600 ] || [ "$mode" = 400 ]; then
    ok "$(basename "$file") is mode $mode"
  else
    warn "$file is mode $mode (expected 600)"
    failed=1
  fi
done
tracked=$(git -C "$REPO_ROOT" ls-files | grep -E '(^|/)(\.env|[^/]+\.env|[^/]*\.pem|[^/]*\.key)$' || true)
if [ -z "$tracked" ]; then
  ok "no env file, key or certificate is tracked by git"
else
  warn "tracked by git, should not be: $tracked"
  failed=1
fi
case "$APP_SETTINGS" in
config.django.production)
  report=$(bash "$REPO_ROOT/ci/scripts/manage.sh" "$ENV_NAME" check --deploy --fail-level WARNING 2>&1) && report=""
  issues=$(printf '%s\n' "$report" | grep -oE '\(security\.[A-Z][0-9]+\)' | tr -d '()' | sort -u | tr '\n' ' ')
  if [ -z "$HTTPS_PORT" ]; then
    # No TLS listener here (staging): HSTS and the https redirect cannot apply.
    issues=$(printf '%s' "$issues" | tr ' ' '\n' | grep -vE '^security\.W00(4|8)$' | tr '\n' ' ' || true)
    say "➖ $ENV_NAME has no TLS listener: HSTS (W004) and the https redirect (W008) do not apply"
  fi
  if [ -z "${issues// /}" ] && { [ -z "$report" ] || printf '%s' "$report" | grep -q 'security\.'; }; then
    ok "manage.py check --deploy: no warnings that apply"
  else
    warn "manage.py check --deploy: ${issues:-$report} (ci/scripts/manage.sh $ENV_NAME check --deploy)"
    failed=1
  fi
  ;;
*) say "➖ $ENV_NAME uses $APP_SETTINGS: manage.py check --deploy applies to production settings" ;;
esac
if [ "$failed" = 0 ]; then ok "security check of $ENV_NAME passed"; else die "security check of $ENV_NAME failed"; fi
