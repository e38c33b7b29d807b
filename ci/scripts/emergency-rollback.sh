#!/usr/bin/env bash
# Put ENV's traffic back on the previous release, then validate.
# The previous slot normally still runs (blue-green keeps it), so this is one atomic
# rename of nginx's live socket link, no reload; if it was decommissioned, it is restarted from its
# release directory first. Target: under 10 s from command to traffic.
#
# Usage: ci/scripts/emergency-rollback.sh ENV
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV"
started=$(now_ms)
load_env "$1"
if [ "$(deploy_runtime)" = compose ]; then
  die "the compose runtime keeps no previous slot: redeploy the previous image tag (see docs/DEPLOYMENT.md)"
fi
with_lock
current=$(active_slot)
target=$(previous_slot)
[ -n "$target" ] || die "no previous release is recorded for $ENV_NAME; nothing to roll back to"
[ "$target" != "$current" ] || die "the previous slot is the live one ($target); nothing to roll back"
dir=$(slot_release_dir "$target")
{ [ -n "$dir" ] && [ -d "$dir" ]; } || die "the release of the $target slot is gone ($dir)"
release=$(release_label "$dir")
say "── emergency rollback of $ENV_NAME: ${current:-none} -> $target (release $release)"
if ! slot_running "$target"; then
  warn "the $target slot was stopped: restarting release $release"
  resolve_secret
  start_slot "$target" "$dir"
fi
switch_traffic "$target"
traffic_ms=$(($(now_ms) - started))
run_validation --url "$PUBLIC_URL" --expect-release "$release" --label "rollback" ||
  die "rolled back to $release but validation fails; see above"
total_ms=$(($(now_ms) - started))
ok "emergency rollback done: traffic on release $release after ${traffic_ms} ms (validated after ${total_ms} ms)"
say "ROLLBACK_TRAFFIC_MS=$traffic_ms ROLLBACK_TOTAL_MS=$total_ms"
say "the database was not touched; to restore it: scripts/database-rollback.sh $ENV_NAME TIMESTAMP (backups: ls ${STATE#"$REPO_ROOT"/}/backups)"
