#!/usr/bin/env bash
# manage.py of ENV's live release, with that environment's settings and database
# (the native runtime's `docker compose exec web python manage.py ...`).
#
# Usage: ci/scripts/manage.sh ENV COMMAND [ARGS...]
#   ci/scripts/manage.sh production dbshell
#   ci/scripts/manage.sh production verify_rollups
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 ENV COMMAND [ARGS...]"
load_env "$1"
shift
resolve_secret
dir=$REPO_ROOT
live=$(active_slot)
if [ -n "$live" ] && [ -d "$(slot_release_dir "$live")" ]; then dir=$(slot_release_dir "$live"); fi
app_env "$dir"
cd "$dir"
exec env -i "${APP_ENV[@]}" TERM="${TERM:-dumb}" "$PY" manage.py "$@"
