#!/usr/bin/env bash
# Deploy the current tree to an environment and print its URL.
#
#   ci/deploy.sh ENV           development | testing | staging | production
#   ci/deploy.sh ENV --down    stop everything this script started for ENV
#
# Runtime: DEPLOY_RUNTIME=native|compose (default: compose when `docker info`
# answers, else native). Native = gunicorn slots behind nginx on 127.0.0.1, see
# docs/DEPLOYMENT.md; every deploy after the first is a blue-green deploy.
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV [--down]"
load_env "$1"
action=${2:-up}
runtime=$(deploy_runtime)

if [ "$action" = --down ]; then
  if [ "$runtime" = compose ]; then
    # shellcheck source=ci/scripts/compose-runtime.sh
    . "$REPO_ROOT/ci/scripts/compose-runtime.sh"
    compose_down
  else
    with_lock
    stop_nginx
    stop_slot blue
    stop_slot green
    rm -f "$STATE/active" "$STATE/previous"
  fi
  ok "$ENV_NAME stopped"
  exit 0
fi
[ "$action" = up ] || die "unknown option '$action' (expected --down)"

bash "$REPO_ROOT/ci/scripts/blue-green-deploy.sh" "$ENV_NAME"
if [ "$runtime" = compose ]; then
  say "$ENV_NAME: http://127.0.0.1:$HTTP_PORT"
else
  say "$ENV_NAME: $PUBLIC_URL"
fi
