#!/usr/bin/env bash
# Send ENV's traffic to the blue or green slot: nginx's live socket link is repointed by
# an atomic rename, without a reload (nginx reloads only if its configuration changed);
# both slots keep running. The slot must be running and healthy.
#
# Usage: ci/scripts/traffic-switch.sh blue|green [ENV]    (ENV defaults to production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 blue|green [ENV]"
slot=$1
check_slot_name "$slot"
load_env "${2:-production}"
[ "$(deploy_runtime)" = native ] || die "blue/green slots belong to the native runtime (DEPLOY_RUNTIME=native)"
with_lock
slot_running "$slot" || die "the $slot slot of $ENV_NAME is not running; traffic did not move"
run_validation --url "http://127.0.0.1:$(slot_port "$slot")" --forwarded-proto https --quick \
  --expect-release "$(release_label "$(slot_release_dir "$slot")")" --label "$slot slot" ||
  die "the $slot slot is unhealthy; traffic did not move"
switch_traffic "$slot"
