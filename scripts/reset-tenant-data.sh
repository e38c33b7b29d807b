#!/usr/bin/env bash
# Delete all ledger data of one tenant — accounts, transactions, categories, budgets, budget
# alerts, exchange rates — and rebuild its (now empty) rollups; members, roles and API tokens
# stay. One transaction: everything or nothing. Asks to type the tenant id again unless
# --yes is given (non-interactive use). Back up first: ci/scripts/pre-production-checks.sh
# takes a backup, scripts/database-rollback.sh restores one.
#
# Usage: scripts/reset-tenant-data.sh TENANT_ID [ENV] [--yes]    e.g. user_123 development
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
yes=0
args=()
for arg in "$@"; do
  if [ "$arg" = --yes ]; then yes=1; else args+=("$arg"); fi
done
[ ${#args[@]} -ge 1 ] || die "usage: $0 TENANT_ID [ENV] [--yes]"
tenant=${args[0]}
[[ $tenant =~ ^(user|org)_[0-9]+$ ]] || die "'$tenant' is not a tenant id (user_123, org_45)"
load_env "${args[1]:-development}"
if [ "$yes" = 0 ]; then
  [ -t 0 ] || die "no terminal to confirm on: pass --yes to reset $tenant of $ENV_NAME"
  printf 'This deletes every account, transaction, category and budget of %s in %s.\nType the tenant id to confirm: ' "$tenant" "$ENV_NAME"
  read -r answer
  [ "$answer" = "$tenant" ] || die "confirmation did not match: nothing was deleted"
fi
bash "$REPO_ROOT/ci/scripts/manage.sh" "$ENV_NAME" reset_tenant_data "$tenant" --confirm "$tenant"
