#!/usr/bin/env bash
# Quality gates: formatting, lint, types, security, migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
fail=0
gate() {
  local name=$1; shift
  if "$@" >reports/lint-"${name// /-}".log 2>&1; then
    echo "✅ $name passed"
  else
    echo "❌ $name failed"; cat reports/lint-"${name// /-}".log; fail=1
  fi
}
mkdir -p reports
gate "Ruff formatting check" "$BIN/ruff" format --check .
gate "Ruff linting" "$BIN/ruff" check .
gate "MyPy type checking" "$BIN/mypy" findash config
gate "Bandit security checks" "$BIN/bandit" -q -c pyproject.toml -r findash config
gate "Migrations check" "$BIN/python" manage.py makemigrations --check --dry-run
exit $fail
