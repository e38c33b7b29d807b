#!/usr/bin/env bash
# A hot fix ships like any release, through a blue-green deploy (backup, expand-only
# migrations, validation before the switch, the old slot kept for rollback).
#
# Usage: ci/scripts/hotfix-deploy.sh ENV [COMMIT...]
#   with COMMITs: they are cherry-picked (git cherry-pick -x) onto the checked-out branch
#   first — the work tree must be clean; a pick that conflicts is aborted and nothing is
#   deployed. Without: the tree is deployed as it is (the guide's flow, where
#   `git cherry-pick fix-commit-hash` was run by hand before).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 ENV [COMMIT...]" >&2; exit 2; }
env=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -gt 0 ]; then
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "❌ the work tree has uncommitted changes: commit or stash them before a hot fix" >&2
    exit 1
  fi
  if ! git -C "$root" cherry-pick -x "$@"; then
    git -C "$root" cherry-pick --abort || true
    echo "❌ cherry-pick of $* conflicts: aborted, nothing deployed" >&2
    exit 1
  fi
  echo "✅ cherry-picked $* onto $(git -C "$root" rev-parse --abbrev-ref HEAD)"
fi
exec bash "$root/ci/scripts/blue-green-deploy.sh" "$env"
