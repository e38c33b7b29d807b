"""The compose files carry the guide's environments: ports, cache TTLs, replicas, services."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from celery import Celery

from config.env import DEFAULT_CACHE_TTL
from tests.shipping.repo_files import COMPOSE_FILES, ROOT, compose, env_example, published_ports

GUIDE = {
    # environment: (service published to users, host ports, cache TTL)
    "development": ("web", ["8000"], 60),
    "testing": ("web", ["8001"], 300),
    "staging": ("nginx", ["8002"], 600),
    "production": ("nginx", ["80", "443"], 1800),
}


def app_environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


@pytest.mark.parametrize("name", sorted(COMPOSE_FILES))
def test_every_compose_file_is_a_mapping_of_services(name: str) -> None:
    services = compose(name)["services"]
    assert services
    for service_name, service in services.items():
        assert "image" in service or "build" in service, service_name


@pytest.mark.parametrize("environment", sorted(GUIDE))
def test_each_environment_listens_where_the_guide_says(environment: str) -> None:
    service, ports, _ = GUIDE[environment]
    assert published_ports(compose(environment)["services"][service]) == ports


@pytest.mark.parametrize("environment", sorted(GUIDE))
def test_the_cache_ttl_is_said_once_in_the_settings(environment: str) -> None:
    """The guide's TTL comes from config.env, picked by the ENVIRONMENT each file sets."""
    ttl = GUIDE[environment][2]
    web = compose(environment)["services"]["web"]
    assert app_environment(web)["ENVIRONMENT"] == environment
    assert "DASHBOARD_CACHE_TTL" not in app_environment(web)
    assert "DASHBOARD_CACHE_TTL" not in env_example(environment)
    assert DEFAULT_CACHE_TTL[environment] == ttl


def environments_table() -> dict[str, list[str]]:
    rows = (ROOT / "deploy" / "environments.tsv").read_text().splitlines()
    return {
        cells[0]: [port for port in cells[1:3] if port != "-"]
        for cells in (row.split("\t") for row in rows if row and not row.startswith("#"))
    }


@pytest.mark.parametrize("environment", sorted(GUIDE))
def test_compose_ports_are_the_environments_table(environment: str) -> None:
    _, ports, _ = GUIDE[environment]
    assert environments_table()[environment] == ports
    assert "HTTP_PORT" not in env_example(environment)
    assert env_example(environment)["ENVIRONMENT"] == environment


def test_development_has_hot_reload_and_the_dev_tools() -> None:
    services = compose("development")["services"]
    web = services["web"]
    assert web["build"]["target"] == "development"
    assert ".:/app" in web["volumes"]
    assert "runserver" in web["command"]
    assert app_environment(web)["DEBUG"] == "true"
    assert {"db", "redis", "rabbitmq", "worker", "beat", "adminer", "mailhog"} <= services.keys()
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert published_ports(services["adminer"]) == ["8080"]
    assert published_ports(services["mailhog"]) == ["8025"]


def test_testing_runs_on_an_ephemeral_tmpfs_database() -> None:
    services = compose("testing")["services"]
    assert "/var/lib/postgresql/data" in services["test-db"]["tmpfs"]
    assert "volumes" not in services["test-db"]
    assert app_environment(services["web"])["DEBUG"] == "false"


def test_staging_has_two_limited_replicas_behind_nginx() -> None:
    services = compose("staging")["services"]
    deploy = services["web"]["deploy"]
    assert deploy["replicas"] == 2
    assert deploy["resources"]["limits"] == {"cpus": "0.5", "memory": "512M"}
    assert "ports" not in services["web"], "replicas must not bind the same host port"
    mounts = " ".join(services["nginx"]["volumes"])
    assert "deploy/nginx/staging.conf:/etc/nginx/conf.d/default.conf" in mounts


def test_production_has_three_replicas_tls_monitoring_and_restart_policies() -> None:
    services = compose("production")["services"]
    web = services["web"]
    assert web["deploy"]["replicas"] == 3
    assert web["deploy"]["resources"]["limits"] == {"cpus": "1.0", "memory": "1G"}
    assert web["deploy"]["restart_policy"]["condition"] == "on-failure"
    assert app_environment(web)["SENTRY_DSN"].startswith("${SENTRY_DSN")
    assert app_environment(web)["DEBUG"] == "false"
    mounts = " ".join(services["nginx"]["volumes"])
    assert "deploy/nginx/production.conf:/etc/nginx/conf.d/default.conf" in mounts
    assert "/etc/nginx/ssl" in mounts
    assert "./deploy/monitoring:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    grafana_mounts = services["grafana"]["volumes"]
    assert "./deploy/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro" in grafana_mounts
    for name, service in services.items():
        if name != "migrate":
            has_policy = "restart" in service or "restart_policy" in service.get("deploy", {})
            assert has_policy, f"{name} has no restart policy"
    # Monitoring UIs are not published to the world.
    for name in ("prometheus", "grafana"):
        assert all(port.startswith("127.0.0.1:") for port in services[name]["ports"])


def test_production_secrets_have_no_defaults() -> None:
    text = COMPOSE_FILES["production"].read_text()
    assert "${POSTGRES_PASSWORD:?" in text
    assert "${GRAFANA_ADMIN_PASSWORD:?" in text


def test_ci_compose_has_the_guides_stages_and_test_services() -> None:
    services = compose("ci")["services"]
    assert {"lint-check", "unit-tests", "integration-tests", "build-test"} <= services.keys()
    db = services["test-db"]
    assert db["image"] == "postgres:17.2"
    assert "/var/lib/postgresql/data" in db["tmpfs"]
    assert db["environment"]["POSTGRES_DB"] == "django_app_ci"
    assert services["test-memcached"]["image"] == "memcached:1.6.22"
    assert services["test-rabbitmq"]["image"] == "rabbitmq:3.12.8"
    assert services["lint-check"]["command"] == "bash ci/lint.sh"
    assert "ci/build.sh" in services["build-test"]["command"]


def all_services() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, service_name, service)
        for name in sorted(COMPOSE_FILES)
        for service_name, service in compose(name)["services"].items()
    ]


def test_every_image_is_pinned_to_a_version() -> None:
    for name, service_name, service in all_services():
        image = str(service.get("image", ""))
        if not image or image.startswith(("findash:", "${IMAGE_REPOSITORY")):
            continue  # built from this repository's Dockerfile
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert tag and tag != "latest", f"{name}/{service_name}: {image} is not pinned"


def test_celery_commands_name_the_projects_celery_app() -> None:
    commands = [
        str(service["command"])
        for _, _, service in all_services()
        if "celery" in str(service.get("command", ""))
    ]
    assert len(commands) >= 4  # worker + beat in development, worker in staging/production
    for command in commands:
        module_name = re.search(r"celery -A (\S+)", command)
        assert module_name, command
        app = getattr(importlib.import_module(module_name.group(1)), "app", None)
        assert isinstance(app, Celery), command


def test_every_service_running_our_image_can_build_it() -> None:
    # `docker compose up --build` (ci/deploy.sh's compose runtime) would otherwise try to
    # pull findash:* from a registry for the services that only name the image.
    for name, service_name, service in all_services():
        image = str(service.get("image", ""))
        if image.startswith(("findash:", "${IMAGE_REPOSITORY")):
            assert "build" in service, f"{name}/{service_name} names {image} without build"
