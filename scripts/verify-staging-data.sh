#!/usr/bin/env bash
# The guide's staging data verification: row counts, checksums and rollups of staging.
exec bash "$(dirname "$0")/verify-data-integrity.sh" staging "$@"
