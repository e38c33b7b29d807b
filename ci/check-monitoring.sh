#!/usr/bin/env bash
# Validate deploy/monitoring: the Prometheus configs, the rules and their unit tests
# (promtool), the Alertmanager config (amtool), the four Grafana dashboards (JSON schema,
# every panel's query through promtool). Installs promtool/amtool (Debian packages
# `prometheus`, `prometheus-alertmanager`) when they are missing and we may use apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
MON=deploy/monitoring

# shellcheck source=ci/lib/apt.sh
. ci/lib/apt.sh
if ! command -v promtool >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1; then
  echo "installing promtool and amtool (Debian packages prometheus, prometheus-alertmanager)"
  if apt_install prometheus prometheus-alertmanager; then
    # The packages may start servers on :9090/:9093; CI does not need them.
    (systemctl stop prometheus prometheus-alertmanager || service prometheus stop || true) >/dev/null 2>&1
  fi
fi
for tool in promtool amtool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "❌ $tool is not installed (apt-get install prometheus prometheus-alertmanager)"
    exit 2
  fi
done

promtool check config "$MON/prometheus.yml"
promtool check config "$MON/prometheus-native.yml"
promtool check rules "$MON"/rules/*.yml
promtool test rules "$MON"/tests/*.yml
amtool check-config "$MON/alertmanager.yml"
dashboards=("$MON"/grafana/dashboards/*.json)
for name in overview performance errors business; do
  [ -f "$MON/grafana/dashboards/$name.json" ] || { echo "❌ Grafana dashboard $name.json is missing"; exit 1; }
done
.venv/bin/check-jsonschema --schemafile "$MON/grafana/dashboard.schema.json" "${dashboards[@]}"
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
            rules.append({"record": f"grafana:{path.stem}_panel_{panel['id']}_{target['refId']}", "expr": expr})
    print(f"{path}: {len(board['panels'])} panels, {len(rules)} queries")
out.write_text(json.dumps({"groups": [{"name": "grafana_queries", "rules": rules}]}))
PY
promtool check rules "$queries/grafana-queries.yml"
echo "✅ Monitoring config, rules and rule tests passed"
