"""The GitHub workflow runs the same scripts as .ci/run, against the same services."""

from __future__ import annotations

from typing import Any

import yaml

from tests.shipping.repo_files import ROOT


def workflow() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def steps_run(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_runs_the_projects_scripts() -> None:
    jobs = workflow()["jobs"]
    quality = steps_run(jobs["quality"])
    assert "bash ci/lint.sh" in quality
    assert "bash ci/check-configs.sh" in quality
    assert "bash ci/build.sh --check-only" in quality
    assert "make test" in steps_run(jobs["test"])
    assert "bash ci/schemathesis.sh" in steps_run(jobs["test"])
    assert "bash ci/build.sh" in steps_run(jobs["build"])


def test_test_job_has_the_backing_services_on_their_usual_ports() -> None:
    services = workflow()["jobs"]["test"]["services"]
    expected = {"postgres": "5432", "redis": "6379", "rabbitmq": "5672", "memcached": "11211"}
    for name, port in expected.items():
        assert f"{port}:{port}" in services[name]["ports"], name
    assert workflow()["env"]["CI"] == "true"
