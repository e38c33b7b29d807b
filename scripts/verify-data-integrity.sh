#!/usr/bin/env bash
# Row counts and a checksum per table, plus `manage.py verify_rollups` (the stored
# dashboard rollups must equal a recomputation from the transactions).
#
# Usage: scripts/verify-data-integrity.sh ENV [--save FILE] [--compare FILE]
#   --save FILE     write the snapshot (JSON) for a later comparison
#   --compare FILE  fail if any table lost rows compared with that snapshot
# Runs with the code of the live release (or this checkout when nothing is deployed).
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV [--save FILE] [--compare FILE]"
load_env "$1"
shift
resolve_secret
live=$(active_slot)
dir=$REPO_ROOT
if [ -n "$live" ] && [ -d "$(slot_release_dir "$live")" ]; then dir=$(slot_release_dir "$live"); fi
say "── data integrity of $ENV_NAME ($(db_name 2>/dev/null || true)) with ${dir#"$REPO_ROOT"/}"
app_env "$dir"
(cd "$dir" && env -i "${APP_ENV[@]}" "$PY" "$REPO_ROOT/ci/scripts/release_ops.py" integrity "$@") ||
  die "data integrity check failed for $ENV_NAME"
ok "Database integrity verified"
