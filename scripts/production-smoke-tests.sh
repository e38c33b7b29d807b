#!/usr/bin/env bash
# The guide's production smoke tests: strict validation of the live production deployment
# (every endpoint must exist and answer). Usage: scripts/production-smoke-tests.sh [ENV]
STRICT_VALIDATION=1 exec bash "$(dirname "$0")/../ci/validate-deployment.sh" "${1:-production}"
