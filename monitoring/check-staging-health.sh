#!/usr/bin/env bash
# The guide's name for the staging health check: monitoring/health-check.sh staging.
exec bash "$(dirname "$0")/health-check.sh" staging "$@"
