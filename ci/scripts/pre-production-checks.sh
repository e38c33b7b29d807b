#!/usr/bin/env bash
# Checks before promoting to ENV (default production):
#   manage.py check --deploy with the production settings and ENV's secret,
#   migrations the release would apply (and whether any is destructive),
#   a recent database backup exists for ENV, the database is reachable.
#
# Usage: ci/scripts/pre-production-checks.sh [ENV]
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

load_env "${1:-production}"
resolve_secret
fail=0
check() {
  local name=$1
  shift
  local out
  if out=$("$@" 2>&1); then
    ok "$name"
    printf '%s\n' "$out" | grep -E '^\?: \(security' | sed 's/^/   ⚠️  /' || true
  else
    printf '❌ %s\n%s\n' "$name" "$out"
    fail=1
  fi
}

# Without a TLS listener (staging) the https warnings are expected: they are shown, not fatal.
level=WARNING
[ -n "$HTTPS_PORT" ] || level=ERROR
check "Django deploy checks (manage.py check --deploy, $APP_SETTINGS, fail level $level)" \
  manage "$REPO_ROOT" check --deploy --fail-level "$level"
db_ensure
check "Database reachable ($(db_name))" manage "$REPO_ROOT" showmigrations --plan
pending=$(manage "$REPO_ROOT" migrate --plan 2>/dev/null | grep -E '^[a-z_]+\.[0-9]' || true)
if [ -n "$pending" ]; then
  say "ℹ️  migrations the release will apply:"
  printf '%s\n' "$pending" | sed 's/^/   /'

  destructive=$(manage "$REPO_ROOT" migrate --plan 2>/dev/null |
    grep -E '^    (Remove field|Delete model|Rename field|Rename model)' || true)
  if [ -n "$destructive" ] && [ "$(manage "$REPO_ROOT" showmigrations --plan | grep -c '^\[X\]')" -gt 0 ]; then
    printf '❌ destructive migrations pending (blue-green refuses them without FORCE=1):\n%s\n' "$destructive"
    fail=1
  fi
else
  ok "No pending migrations"
fi
latest=$(find "$STATE/backups" -maxdepth 1 -name '[0-9]*' -type f -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-)
if [ -n "$latest" ]; then
  ok "Latest backup: ${latest#"$REPO_ROOT"/} ($(du -h "$latest" | cut -f1))"
elif [ -z "$(active_slot)" ]; then
  ok "No backup yet: $ENV_NAME was never deployed (the first deploy migrates an empty database)"
else
  # Deployed, but its first deploy started from an empty database: take the first backup now.
  backup=$(db_backup "$(date -u +%Y%m%d_%H%M%S)") || fail=1
  [ -z "${backup:-}" ] || ok "No backup yet: took one now: ${backup#"$REPO_ROOT"/}"
fi
[ "$fail" = 0 ] || die "pre-production checks failed for $ENV_NAME"
ok "pre-production checks passed for $ENV_NAME"
