#!/usr/bin/env bash
# Promote the current tree to production: pre-production checks, then blue-green
# deploy (backup, expand-only migrations, validation before and after the switch).
# Usage: ci/scripts/promote-to-production.sh
set -euo pipefail
here=$(dirname "$0")
bash "$here/pre-production-checks.sh" production
bash "$here/blue-green-deploy.sh" production
