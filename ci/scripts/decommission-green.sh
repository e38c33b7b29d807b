#!/usr/bin/env bash
# The guide's name for "stop the green slot after traffic went back to blue".
# Usage: ci/scripts/decommission-green.sh [ENV]   (default production)
exec bash "$(dirname "$0")/decommission.sh" "${1:-production}" green
