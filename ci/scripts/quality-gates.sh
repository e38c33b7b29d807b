#!/usr/bin/env bash
# The guide's quality gates: the lint/type/security gates, then the test suites with the
# coverage gate (ci/lint.sh and ci/test.sh; any ❌ makes the exit status non-zero).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash ci/lint.sh
bash ci/test.sh "$@"
