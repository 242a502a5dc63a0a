"""docker-compose.yml, the Dockerfile and .env.example describe the production shape correctly.

There is no Docker engine on the development and CI machines, so these files are checked as data.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


def variables_settings_read() -> set[str]:
    """Every name passed to ``env.<reader>("NAME", ...)`` in config/settings.py."""
    tree = ast.parse((BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def variables_documented() -> set[str]:
    """Names set or shown commented out (``# NAME=default``) in .env.example."""
    text = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_compose_runs_postgres_redis_web_worker_and_beat(compose: dict[str, Any]) -> None:
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


def test_web_worker_and_beat_run_one_image_built_from_the_dockerfile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    shapes = {(services[name]["build"], services[name]["image"]) for name in APP_SERVICES}

    assert shapes == {(".", "accreditation-portal:latest")}


def test_each_portal_service_runs_its_own_process(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert [services[name]["command"][:4] for name in APP_SERVICES] == [
        ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"],
        ["celery", "-A", "config", "worker"],
        ["celery", "-A", "config", "beat"],
    ]


def test_migrations_run_once_before_web_worker_and_beat_start(compose: dict[str, Any]) -> None:
    services = compose["services"]

    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["build"] == "."
    assert [services[name]["depends_on"]["migrate"]["condition"] for name in APP_SERVICES] == [
        "service_completed_successfully"
    ] * 3


def test_postgres_is_version_15_initialised_with_a_utf8_locale(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]

    assert postgres["image"].split(":")[1].startswith("15")
    assert postgres["environment"]["POSTGRES_INITDB_ARGS"].split() == ["--encoding=UTF8", "--locale=C.UTF-8"]


def test_the_portal_services_reach_postgres_and_redis_by_service_name(compose: dict[str, Any]) -> None:
    environment = compose["services"]["web"]["environment"]

    assert re.fullmatch(
        r"postgres://portal:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/portal", environment["DATABASE_URL"]
    )
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"]["redis"]["image"].split(":")[1].startswith("7")


def test_the_image_has_the_cjk_fonts_and_runs_as_a_user_without_privileges() -> None:
    dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    apt_packages = re.search(r"apt-get install -y --no-install-recommends \\\s*\n\s*([^\\\n]+)", dockerfile)
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)

    assert dockerfile.splitlines()[1] == "FROM python:3.11-slim-bookworm"
    assert apt_packages is not None
    assert apt_packages.group(1).split() == [
        "fonts-noto-cjk",
        "libharfbuzz-subset0",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "gettext",
    ]
    assert users == ["portal"]


def test_env_example_documents_every_variable_the_settings_read() -> None:
    read = variables_settings_read()

    assert len(read) >= 10, "the settings parser found too few variables"
    assert read - variables_documented() == set()
