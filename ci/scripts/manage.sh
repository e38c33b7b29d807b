#!/usr/bin/env bash
# manage.py of ENV's live release, with that environment's settings and database: on the
# native runtime in the live slot's release directory; on the compose runtime in a one-off
# container of the `web` service (`docker compose run --rm web python manage.py ...`).
#
# Usage: ci/scripts/manage.sh ENV COMMAND [ARGS...]
#   ci/scripts/manage.sh production dbshell
#   ci/scripts/manage.sh production verify_rollups
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 ENV COMMAND [ARGS...]"
load_env "$1"
shift
if [ "$(deploy_runtime)" = compose ]; then
  # shellcheck source=ci/scripts/compose-runtime.sh
  . "$REPO_ROOT/ci/scripts/compose-runtime.sh"
  compose_setup
  tty=(-T)
  [ -t 0 ] && tty=()
  exec "${COMPOSE[@]}" run --rm --no-deps "${tty[@]}" web python manage.py "$@"
fi
resolve_secret
dir=$REPO_ROOT
live=$(active_slot)
if [ -n "$live" ] && [ -d "$(slot_release_dir "$live")" ]; then dir=$(slot_release_dir "$live"); fi
app_env "$dir"
cd "$dir"
exec env -i "${APP_ENV[@]}" TERM="${TERM:-dumb}" "$PY" manage.py "$@"
