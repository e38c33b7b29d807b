#!/usr/bin/env bash
# Make users log in again: revokes their refresh tokens (the next refresh answers 401), and
# with --api-tokens their personal API tokens (401 at once). Access tokens already issued
# stay valid until they expire (the token answer's expires_in); rotating SECRET_KEY ends
# every session at once.
#
# Usage: scripts/refresh-auth-tokens.sh (USERNAME... | --all) [--api-tokens] [--env ENV]
#   default ENV development; e.g. scripts/refresh-auth-tokens.sh --all --env production
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
env_name=development
args=()
while [ $# -gt 0 ]; do
  case "$1" in
  --env)
    env_name=${2:?--env needs a value}
    shift
    ;;
  *) args+=("$1") ;;
  esac
  shift
done
[ ${#args[@]} -ge 1 ] || die "usage: $0 (USERNAME... | --all) [--api-tokens] [--env ENV]"
load_env "$env_name"
bash "$REPO_ROOT/ci/scripts/manage.sh" "$ENV_NAME" revoke_auth_tokens "${args[@]}"
