"""Prometheus metrics settings."""

from __future__ import annotations

from config.env import env_list

# Empty list: /metrics answers everyone. Otherwise only these client networks.
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", [])
