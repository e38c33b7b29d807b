#!/usr/bin/env bash
# Reset one user's permissions: account active again, no Django permissions or groups, no
# staff/superuser flag (unless --keep-staff), owner of their personal tenant again, and
# their refresh tokens revoked so new sessions carry the reset rights. Organization roles
# are listed, not changed (they belong to the organization's owners).
#
# Usage: scripts/reset-user-permissions.sh USERNAME [ENV] [--keep-staff]  (default development)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
extra=()
args=()
for arg in "$@"; do
  if [ "$arg" = --keep-staff ]; then extra+=(--keep-staff); else args+=("$arg"); fi
done
[ ${#args[@]} -ge 1 ] || die "usage: $0 USERNAME [ENV] [--keep-staff]"
load_env "${args[1]:-development}"
bash "$REPO_ROOT/ci/scripts/manage.sh" "$ENV_NAME" reset_user_permissions "${args[0]}" "${extra[@]}"
