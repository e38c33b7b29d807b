#!/usr/bin/env bash
# The deployment guide's names for commands that exist here under another name, in one
# table. Each name is a symbolic link to this file; the link's name picks the row.
#
#   name (and where the guide puts it)          runs
#   ci/scripts/promote-to-staging.sh            pre-production-checks.sh staging, then
#                                               blue-green-deploy.sh staging
#   ci/scripts/promote-to-production.sh         the same for production
#   ci/scripts/decommission-green.sh [ENV]      decommission.sh ENV green (production)
#   ci/scripts/quality-gates.sh [PYTEST ARGS]   ci/lint.sh, then ci/test.sh
#   scripts/post-rollback-validation.sh ENV     ci/validate-deployment.sh ENV --rollback-mode
#   scripts/production-smoke-tests.sh [ENV]     strict ci/validate-deployment.sh (production)
#   scripts/verify-staging-data.sh [ARGS]       scripts/verify-data-integrity.sh staging
#   monitoring/check-staging-health.sh          monitoring/health-check.sh staging
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
name=${0##*/}
case "$name" in
  promote-to-staging.sh | promote-to-production.sh)
    env=${name#promote-to-}
    env=${env%.sh}
    bash "$root/ci/scripts/pre-production-checks.sh" "$env"
    exec bash "$root/ci/scripts/blue-green-deploy.sh" "$env"
    ;;
  decommission-green.sh) exec bash "$root/ci/scripts/decommission.sh" "${1:-production}" green ;;
  quality-gates.sh)
    bash "$root/ci/lint.sh"
    exec bash "$root/ci/test.sh" "$@"
    ;;
  post-rollback-validation.sh)
    exec bash "$root/ci/validate-deployment.sh" "${1:?usage: $name ENV}" --rollback-mode
    ;;
  production-smoke-tests.sh)
    STRICT_VALIDATION=1 exec bash "$root/ci/validate-deployment.sh" "${1:-production}"
    ;;
  verify-staging-data.sh) exec bash "$root/scripts/verify-data-integrity.sh" staging "$@" ;;
  check-staging-health.sh) exec bash "$root/monitoring/health-check.sh" staging "$@" ;;
  *)
    echo "$name is not one of the guide's names (see the table in ci/scripts/guide-aliases.sh)" >&2
    exit 2
    ;;
esac
