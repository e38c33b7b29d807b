#!/usr/bin/env bash
# Write a random SECRET_KEY for ENV into STATE/secret (ci/scripts/lib.sh: state_home) (mode 600) unless one exists.
# Staging and production refuse to deploy without a secret (env, deploy/env/ENV.env, or this file).
#
# Usage: ci/scripts/generate-secret.sh ENV
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 ENV"
load_env "$1"
if [ -s "$STATE/secret" ]; then
  ok "a secret already exists in ${STATE#"$REPO_ROOT"/}/secret (left unchanged)"
  exit 0
fi
(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >"$STATE/secret")
ok "SECRET_KEY written to ${STATE#"$REPO_ROOT"/}/secret"
