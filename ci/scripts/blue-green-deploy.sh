#!/usr/bin/env bash
# Blue-green deploy of the current tree to ENV (native runtime):
#   install the release -> back up the database -> expand-only migrations ->
#   start gunicorn in the idle slot -> validate it on its own port ->
#   repoint nginx's live socket link (no reload) -> validate through nginx.
# The old slot keeps running for ci/scripts/emergency-rollback.sh until
# ci/scripts/decommission.sh stops it. Any failure before the switch leaves
# the live slot serving.
#
# Usage: ci/scripts/blue-green-deploy.sh ENV
#   RELEASE=name      label /version reports (default: git describe --always --dirty)
#   DEPLOY_SOURCE=dir deploy another tree than this checkout
#   FORCE=1           allow destructive (contract) migrations
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV"
load_env "$1"

if [ "$(deploy_runtime)" = compose ]; then
  # Compose has no slots: build, start the new containers and let compose wait for health.
  # shellcheck source=ci/scripts/compose-runtime.sh
  . "$REPO_ROOT/ci/scripts/compose-runtime.sh"
  with_lock
  compose_up
  exit 0
fi

with_lock
resolve_secret
ensure_nginx_installed
[ -x "$PY" ] || die "$PY is missing: run 'make install' first"

live=$(active_slot)
if [ -n "$live" ] && ! slot_running "$live"; then
  # The live slot died: deploy into it, and keep the other one (nginx's backup) serving.
  warn "the recorded live slot $live is not running"
  idle=$live
  live=$(other_slot "$live")
  slot_running "$live" || live=""
elif [ -n "$live" ]; then
  idle=$(other_slot "$live")
else
  idle=blue
fi
say "── blue-green deploy to $ENV_NAME: live slot ${live:-none}, deploying into $idle"

install_release
new_dir=$RELEASE_DIR
new_release=$RELEASE_NAME
fail_keep_live() {
  if [ -n "$live" ]; then
    die "$1 — nothing switched: the $live slot keeps serving $(release_label "$(slot_release_dir "$live")")"
  fi
  die "$1 — nothing switched"
}

db_ensure

# The idle slot may still run the release before last: stop it (nginx does not use it).
if slot_running "$idle"; then stop_slot "$idle" >/dev/null & fi

# Back up whatever the database holds before this release touches it.
backup="" label=""
if db_has_data; then
  label=$(date -u +%Y%m%d_%H%M%S)
  backup=$(db_backup "$label")
  ok "database backup before migrating: ${backup#"$REPO_ROOT"/}"
fi

# Expand-only: a release may add, never drop or rename, while the old release still runs.
# One process plans (exit 3 = destructive), migrates (exit 4 = failed), collects static
# files, seeds demo data and prepares the validation user.
seed=() force=()
case "$ENV_NAME" in development | testing) seed=(--seed) ;; esac
[ "${FORCE:-0}" != 1 ] || force=(--force)
set +e
out=$(release_ops "$new_dir" prepare --state "$STATE" "${seed[@]}" "${force[@]}" 2>&1)
status=$?
set -e
case "$status" in
0) ;;
3)
  printf '%s\n' "$out" | grep '^destructive:' >&2
  fail_keep_live "release $new_release has destructive migrations (the live release still uses those columns/tables); ship the contract step in a later release or set FORCE=1"
  ;;
4)
  printf '%s\n' "$out" | tail -n 5 >&2
  fail_keep_live "migrations of release $new_release failed${backup:+ (backup: $backup; restore with scripts/database-rollback.sh $ENV_NAME $label)}"
  ;;
*)
  printf '%s\n' "$out" | tail -n 15 >&2
  fail_keep_live "preparing release $new_release failed"
  ;;
esac
[ "${#force[@]}" = 0 ] || ! printf '%s\n' "$out" | grep -q '^destructive:' ||
  warn "FORCE=1: applied destructive migrations while the live release still runs"
pending=$(printf '%s\n' "$out" | sed -n 's/^APPLIED=[0-9]* PENDING=\([0-9]*\).*/\1/p')
ok "migrations applied ($pending pending), static files collected, validation user ready"
wait
start_slot "$idle" "$new_dir" || fail_keep_live "the $idle slot did not start"
idle_port=$(slot_port "$idle")
if ! run_validation --url "http://127.0.0.1:$idle_port" --forwarded-proto https \
  --expect-release "$new_release" --label "$idle slot"; then
  stop_slot "$idle"
  fail_keep_live "release $new_release failed validation on its own port $idle_port"
fi

switch_traffic "$idle"
if ! run_validation --url "$PUBLIC_URL" --expect-release "$new_release" --label "$ENV_NAME"; then
  if [ -n "$live" ]; then
    warn "validation through nginx failed: switching back to $live"
    switch_traffic "$live"
  fi
  die "release $new_release failed validation behind nginx"
fi
prune_releases
ok "$ENV_NAME now serves release $new_release from the $idle slot at $PUBLIC_URL"
[ -z "$live" ] || say "the $live slot keeps running for rollback: ci/scripts/emergency-rollback.sh $ENV_NAME (stop it with ci/scripts/decommission.sh $ENV_NAME)"
