#!/usr/bin/env bash
# Operator shortcuts for feature flags; every action calls `manage.py flags` (one service,
# audited, and seen by every process of the deployment within FLAGS_REFRESH_SECONDS, 0.5 s).
#
# Usage: scripts/feature-flags.sh [ENV] ACTION
#   --list                       every flag and its state
#   --show KEY                   one flag, its allow/deny lists and recent changes
#   --enable KEY | --disable KEY the kill switch
#   --rollout KEY PERCENT        share of tenants (0-100), sticky per tenant
#   --check KEY TENANT_ID        the tenant's bucket and the decision
#   --plan KEY [STAGES]          tenants in at each stage (default 5,25,50,100)
#
# Without ENV (or FINDASH_ENV) it uses the current environment variables (DATABASE_URL,
# DJANGO_SETTINGS_MODULE...). With ENV (development|testing|staging|production) it loads
# that native deployment's settings the way ci/scripts/ does (deploy/env/ENV.env).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

die() {
  printf '❌ %s\n' "$*" >&2
  exit 2
}

ENV_ARG=${FINDASH_ENV:-}
case "${1:-}" in
development | testing | staging | production)
  ENV_ARG=$1
  shift
  ;;
esac

PY=${FINDASH_PYTHON:-$REPO_ROOT/.venv/bin/python}
if [ -n "$ENV_ARG" ]; then
  lib=$REPO_ROOT/ci/scripts/lib.sh
  [ -f "$lib" ] || die "targeting '$ENV_ARG' needs $lib (the native deployment scripts)"
  # shellcheck source=/dev/null
  . "$lib"
  load_env "$ENV_ARG"
  resolve_secret
  export DJANGO_SETTINGS_MODULE=${APP_SETTINGS:-config.django.local}
fi
[ -x "$PY" ] || die "$PY not found: run 'make install' (or set FINDASH_PYTHON)"

flags() {
  "$PY" "$REPO_ROOT/manage.py" flags --actor "script:${USER:-$(id -un)}" "$@"
}

[ $# -ge 1 ] || usage 2
action=$1
shift
case "$action" in
--list)
  flags list
  ;;
--show)
  [ $# -eq 1 ] || die "usage: $0 --show KEY"
  flags show "$1"
  ;;
--enable | --disable)
  [ $# -eq 1 ] || die "usage: $0 $action KEY"
  flags "${action#--}" "$1"
  echo "running processes pick this up within FLAGS_REFRESH_SECONDS (default 0.5 s)"
  ;;
--rollout)
  [ $# -eq 2 ] || die "usage: $0 --rollout KEY PERCENT"
  flags set "$1" --rollout "$2"
  echo "running processes pick this up within FLAGS_REFRESH_SECONDS (default 0.5 s)"
  ;;
--check)
  [ $# -eq 2 ] || die "usage: $0 --check KEY TENANT_ID"
  flags check "$1" --tenant "$2"
  ;;
--plan)
  [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 --plan KEY [STAGES]"
  flags rollout "$1" --plan "${2:-5,25,50,100}"
  ;;
-h | --help)
  usage 0
  ;;
*)
  printf 'unknown action %s\n\n' "$action" >&2
  usage 2
  ;;
esac
