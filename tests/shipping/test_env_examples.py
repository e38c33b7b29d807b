"""deploy/env/*.env.example: one per environment; production-like ones fail closed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.shipping.repo_files import ENVIRONMENTS, ROOT, env_example

REQUIRED = {
    "ENVIRONMENT",
    "DEBUG",
    "LOG_LEVEL",
    "DATABASE_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
}


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings module an example names, in a fresh interpreter."""
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED and k != "ALLOWED_HOSTS"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('settings loaded')"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**clean, **env},
        timeout=60,
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_example_sets_every_required_variable(environment: str) -> None:
    example = env_example(environment)
    assert example.keys() >= REQUIRED
    assert example["DEBUG"] == ("true" if environment == "development" else "false")


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_placeholder_secret_is_refused_by_production_settings(environment: str) -> None:
    example = env_example(environment)
    assert example["DJANGO_SETTINGS_MODULE"] == "config.django.production"
    refused = load_settings(example)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr


def test_production_settings_load_once_a_real_secret_is_set() -> None:
    example = env_example("production")
    accepted = load_settings({**example, "SECRET_KEY": "s" * 30 + "-real-secret-" + "k" * 30})
    assert accepted.returncode == 0, accepted.stderr
    assert "settings loaded" in accepted.stdout


def names_read_by_the_product() -> set[str]:
    """Variables config/ reads through config.env, plus those the deploy scripts read."""
    pattern = re.compile(r"env_[a-z]+\(\s*\"([A-Z][A-Z0-9_]*)\"")
    names = {"DJANGO_SETTINGS_MODULE"}  # read by Django itself
    for path in (ROOT / "config").rglob("*.py"):
        names.update(pattern.findall(path.read_text()))
    scripts = [*(ROOT / "ci").rglob("*.sh"), *(ROOT / "ci").rglob("*.py")]
    script_text = "\n".join(path.read_text() for path in scripts)
    for name in ("HTTP_PORT", "HTTPS_PORT"):
        if re.search(rf"\b{name}\b", script_text):
            names.add(name)
    return names


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_variable_in_the_example_is_read_by_something(environment: str) -> None:
    unread = env_example(environment).keys() - names_read_by_the_product()
    assert not unread, f"nothing reads {sorted(unread)}: a typo, or dead configuration"
