#!/usr/bin/env bash
# Validate deploy/monitoring with promtool: the Prometheus config, the rules,
# the rule unit tests, and the Grafana dashboard JSON. Installs promtool (Debian
# package `prometheus`) when it is missing and we may use apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
MON=deploy/monitoring

if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo -n)  # CI runners: passwordless sudo
  if [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then
    echo "installing promtool (Debian package prometheus)"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 ||
      { "${SUDO[@]}" apt-get update -qq >/dev/null 2>&1 &&
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; }
    # The package may start a server on :9090; CI does not need it.
    ("${SUDO[@]}" systemctl stop prometheus || "${SUDO[@]}" service prometheus stop || true) >/dev/null 2>&1
  fi
fi
if ! command -v promtool >/dev/null 2>&1; then
  echo "❌ promtool is not installed (apt-get install prometheus)"
  exit 2
fi

promtool check config "$MON/prometheus.yml"
promtool check config "$MON/prometheus-native.yml"
promtool check rules "$MON"/rules/*.yml
promtool test rules "$MON"/tests/*.yml
# Every Grafana query must be valid PromQL: check them as recording rules.
queries=$(mktemp -d)
trap 'rm -rf "$queries"' EXIT
.venv/bin/python - "$MON" "$queries/grafana-queries.yml" <<'PY'
import json, pathlib, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
rules = []
for path in sorted((root / "grafana" / "dashboards").glob("*.json")):
    board = json.loads(path.read_text())
    assert board.get("panels"), f"{path}: no panels"
    for panel in board["panels"]:
        targets = panel.get("targets", [])
        assert targets, f"{path}: panel {panel.get('title')!r} has no query"
        for target in targets:
            expr = target["expr"].replace("$job", ".*")
            rules.append({"record": f"grafana:panel_{panel['id']}_{target['refId']}", "expr": expr})
    print(f"{path}: {len(board['panels'])} panels, {len(rules)} queries")
out.write_text(json.dumps({"groups": [{"name": "grafana_queries", "rules": rules}]}))
PY
promtool check rules "$queries/grafana-queries.yml"
echo "✅ Monitoring config, rules and rule tests passed"
