#!/usr/bin/env bash
# Promote the current tree to staging: the quality gates' deploy checks, then blue-green.
# Usage: ci/scripts/promote-to-staging.sh
set -euo pipefail
here=$(dirname "$0")
bash "$here/pre-production-checks.sh" staging
bash "$here/blue-green-deploy.sh" staging
