#!/usr/bin/env bash
# A hot fix ships like any release: cherry-pick it, then a blue-green deploy (backup,
# expand-only migrations, validation before the switch, the old slot kept for rollback).
# Usage: ci/scripts/hotfix-deploy.sh ENV
exec bash "$(dirname "$0")/blue-green-deploy.sh" "${1:?usage: $0 ENV}"
