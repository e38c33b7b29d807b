#!/usr/bin/env bash
# The guide's post-rollback validation: health, version, dashboard, metrics, the live slot
# and data integrity. Usage: scripts/post-rollback-validation.sh ENV
exec bash "$(dirname "$0")/../ci/validate-deployment.sh" "${1:?usage: $0 ENV}" --rollback-mode
