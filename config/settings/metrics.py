"""Prometheus metrics settings."""

from __future__ import annotations

from config.env import env_list, env_str

# Empty list: /metrics answers everyone. Otherwise only these client networks (CIDRs).
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", [])
# Set (by deploy/gunicorn.conf.py) when several worker processes share their samples.
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "") or ""
