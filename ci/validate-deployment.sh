#!/usr/bin/env bash
# Validate a deployed environment through its public URL: /health, /health/dashboard,
# /version (the release the live slot runs), the five /financial/dashboard endpoints
# with a real token (the validation user logs in with POST /auth/token), /metrics.
#
# Usage: ci/validate-deployment.sh ENV [--rollback-mode] [--slot blue|green]
#   --rollback-mode  after an emergency rollback: also checks the live slot is the
#                    one recorded before the switch and that data integrity holds
#   --slot S         validate one slot on its own port instead of nginx
#   STRICT_VALIDATION=0  a missing endpoint (404) warns instead of failing
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV [--rollback-mode] [--slot blue|green]"
load_env "$1"
shift
rollback=0 slot=""
while [ $# -gt 0 ]; do
  case "$1" in
  --rollback-mode) rollback=1 ;;
  --slot)
    slot=${2:-}
    check_slot_name "$slot"
    shift
    ;;
  *) die "unknown option '$1'" ;;
  esac
  shift
done

if [ "$(deploy_runtime)" = compose ]; then
  run_validation --url "http://127.0.0.1:$HTTP_PORT" --label "$ENV_NAME"
  exit $?
fi

live=$(active_slot)
[ -n "$live" ] || die "$ENV_NAME is not deployed (no live slot in ${STATE#"$REPO_ROOT"/})"
target=${slot:-$live}
slot_running "$target" || die "the $target slot of $ENV_NAME is not running"
dir=$(slot_release_dir "$target")
release=$(release_label "$dir")
say "── validating $ENV_NAME ($target slot, release $release)"
if [ -n "$slot" ]; then
  url="http://127.0.0.1:$(slot_port "$slot")"
  run_validation --url "$url" --forwarded-proto https --expect-release "$release" --label "$slot slot"
  exit $?
fi
nginx_pid >/dev/null || die "nginx for $ENV_NAME is not running"
ok "Load balancer: nginx pid $(nginx_pid) -> $target slot"
run_validation --url "$PUBLIC_URL" --expect-release "$release" --label "$ENV_NAME"
if [ "$rollback" = 1 ]; then
  [ "$(live_link_slot)" = "$target" ] || die "nginx's live.sock does not point at the $target slot"
  ok "Previous functionality restored: release $release is live"
  bash "$REPO_ROOT/scripts/verify-data-integrity.sh" "$ENV_NAME"
fi
