#!/usr/bin/env bash
# User acceptance tests against a deployed environment: the guide's integration suite
# (tests/integration, real HTTP through the environment's public URL, its own throw-away
# users) plus the deployment validation (health, version, the five endpoints, metrics).
#
# Usage: scripts/run-uat-tests.sh [SUITE] [ENV]     SUITE: dashboard (the only one); ENV staging
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
suite=${1:-dashboard}
[ "$suite" = dashboard ] || die "unknown UAT suite '$suite' (there is one: dashboard)"
load_env "${2:-staging}"
url=$(service_url)
say "── UAT ($suite) against $ENV_NAME at $url"
bash "$REPO_ROOT/ci/validate-deployment.sh" "$ENV_NAME"
[ -z "$CA_FILE" ] || export SSL_CERT_FILE=$CA_FILE
"$PY" -m pytest -p no:xdist -p no:cacheprovider -q "$REPO_ROOT/tests/integration" --base-url="$url"
