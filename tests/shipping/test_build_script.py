"""ci/build.sh: validates without an engine, refuses to pretend it built anything."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shipping.repo_files import ROOT


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
    result = run_build("--check-only")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "base development testing production" in result.stdout
    # hadolint runs once per CI run, in ci/lint.sh, not here again
    assert "Hadolint" not in result.stdout


def test_check_only_fails_when_a_target_is_missing(tmp_path: Path) -> None:
    text = (ROOT / "Dockerfile").read_text().replace(" AS testing", " AS tests")
    broken = tmp_path / "Dockerfile"
    broken.write_text(text)
    result = run_build("--check-only", DOCKERFILE=str(broken))
    assert result.returncode == 1
    assert "has no 'testing' target" in result.stdout


def test_check_only_refuses_a_syntax_line_that_needs_a_registry(tmp_path: Path) -> None:
    broken = tmp_path / "Dockerfile"
    broken.write_text("# syntax=docker/dockerfile:1.7\n" + (ROOT / "Dockerfile").read_text())
    result = run_build("--check-only", DOCKERFILE=str(broken))
    assert result.returncode == 1
    assert "'# syntax=' line" in result.stdout


def test_without_an_engine_it_says_so_and_fails() -> None:
    if docker_engine_answers():
        pytest.skip("a Docker engine answers here; the real build is exercised instead")
    result = run_build()
    assert result.returncode == 1
    assert "No Docker engine is available" in result.stdout


def test_unknown_arguments_are_refused() -> None:
    result = run_build("--deploy")
    assert result.returncode == 2
    assert "unknown argument" in result.stderr


FAKE_DOCKER = """#!/usr/bin/env bash
# Stands in for the Docker CLI: records each call, answers like an engine would.
echo "$*" >> "$FAKE_DOCKER_LOG"
case "$1 $2" in
  "image inspect")
    case "$*" in
      *Healthcheck*) echo yes ;;
      *.Size*) echo 210000000 ;;
      *.Config.User*) echo "$FAKE_IMAGE_USER" ;;
    esac ;;
  "buildx inspect") [ "$3" = findash-multiarch ] && [ "$4" != --bootstrap ] && exit 1 ;;
esac
exit 0
"""


def run_with_fake_engine(tmp_path: Path, user: str) -> tuple[subprocess.CompletedProcess[str], str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(FAKE_DOCKER)
    docker.chmod(0o755)
    log = tmp_path / "docker.log"
    log.touch()
    result = run_build(
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        FAKE_DOCKER_LOG=str(log),
        FAKE_IMAGE_USER=user,
        IMAGE_TAG="abc123",
    )
    return result, log.read_text()


def test_with_an_engine_it_builds_every_target_and_the_multi_arch_image(tmp_path: Path) -> None:
    result, calls = run_with_fake_engine(tmp_path, user="10001:10001")
    assert result.returncode == 0, result.stdout + result.stderr
    builds = [line for line in calls.splitlines() if line.startswith("build ")]
    assert [line.split("--target ")[1].split()[0] for line in builds] == [
        "development",
        "testing",
        "production",
    ]
    assert "--tag findash:production-abc123" in builds[2]
    # the official base is present here; every build uses the host's network
    assert all("--build-arg BASE_IMAGE=python:3.11-slim-bookworm" in line for line in builds)
    assert all("--network host" in line for line in builds)
    assert "✅ production image size 210 MB (budget 300 MB)" in result.stdout
    assert "--build-arg RELEASE=abc123" in builds[2]
    multi_arch = [line for line in calls.splitlines() if line.startswith("buildx build")]
    assert len(multi_arch) == 1
    assert "--platform linux/amd64,linux/arm64" in multi_arch[0]
    assert "--target production" in multi_arch[0]
    assert "--push" not in multi_arch[0]
    assert "buildx create --name findash-multiarch --driver docker-container" in calls
    assert "✅ Multi-architecture production image built" in result.stdout


def test_a_production_image_running_as_root_is_refused(tmp_path: Path) -> None:
    result, calls = run_with_fake_engine(tmp_path, user="root")
    assert result.returncode == 1
    assert "❌ production image runs as root" in result.stdout
    assert "buildx build" not in calls
