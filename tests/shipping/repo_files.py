"""Readers for the shipping files: Dockerfile stages, compose files, env examples."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"

COMPOSE_FILES = {
    "development": ROOT / "docker-compose.development.yml",
    "testing": ROOT / "docker-compose.testing.yml",
    "staging": ROOT / "docker-compose.staging.yml",
    "production": ROOT / "docker-compose.production.yml",
    "ci": ROOT / "ci" / "docker-compose.ci.yml",
}
ENVIRONMENTS = ("development", "testing", "staging", "production")


@dataclass
class Stage:
    name: str
    parent: str
    instructions: list[str] = field(default_factory=list)

    def lines(self, keyword: str) -> list[str]:
        prefix = keyword.upper() + " "
        return [i[len(prefix) :] for i in self.instructions if i.upper().startswith(prefix)]


def dockerfile_instructions(text: str) -> list[str]:
    """Instructions with line continuations joined and comments dropped."""
    instructions: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        instructions.append(current + line)
        current = ""
    return instructions


def dockerfile_stages(path: Path = ROOT / "Dockerfile") -> dict[str, Stage]:
    stages: dict[str, Stage] = {}
    stage: Stage | None = None
    for instruction in dockerfile_instructions(path.read_text()):
        match = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)$", instruction, re.IGNORECASE)
        if match:
            stage = Stage(name=match.group(2).lower(), parent=match.group(1).lower())
            stages[stage.name] = stage
        elif stage is not None:
            stage.instructions.append(instruction)
    return stages


def stage_chain(stages: dict[str, Stage], name: str) -> list[Stage]:
    """The stage and every stage it is built FROM, nearest first."""
    chain = [stages[name]]
    while chain[-1].parent in stages:
        chain.append(stages[chain[-1].parent])
    return chain


def compose(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILES[name].read_text())
    assert isinstance(loaded, dict)
    return loaded


def env_example(environment: str) -> dict[str, str]:
    values: dict[str, str] = {}
    path = ROOT / "deploy" / "env" / f"{environment}.env.example"
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def published_ports(service: dict[str, Any]) -> list[str]:
    """Host side of each published port with ${VAR:-default} resolved to its default."""
    hosts = []
    for port in service.get("ports", []):
        text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(port))
        hosts.append(text.rsplit(":", 1)[0])
    return hosts


def require_tool(path_or_name: str | Path, why: str) -> str:
    """The tool's path; skip locally when missing, fail under CI=true."""
    found = str(path_or_name) if Path(path_or_name).exists() else shutil.which(str(path_or_name))
    if found:
        return found
    reason = f"{path_or_name} is not installed ({why})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure)")
    pytest.skip(reason)
