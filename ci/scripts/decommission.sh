#!/usr/bin/env bash
# Stop the idle slot of ENV once the live release is trusted (no more instant rollback).
#
# Usage: ci/scripts/decommission.sh ENV [blue|green]   (default: whichever slot is idle)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV [blue|green]"
load_env "$1"
with_lock
live=$(active_slot)
slot=${2:-}
if [ -z "$slot" ]; then
  [ -n "$live" ] || die "$ENV_NAME has no live slot"
  slot=$(other_slot "$live")
fi
check_slot_name "$slot"
[ "$slot" != "$live" ] || die "the $slot slot is live: switch traffic away first (ci/scripts/traffic-switch.sh $(other_slot "$slot") $ENV_NAME)"
stop_slot "$slot"
ok "$slot slot of $ENV_NAME decommissioned; the ${live:-no} slot serves"
say "(an emergency rollback can still restart it from its release directory, more slowly)"
