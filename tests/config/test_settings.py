"""Settings as a deployment sees them: each case loads them in a fresh process with its own environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

BASE_DIR = Path(__file__).resolve().parents[2]
# What the process needs to run at all; everything the portal reads is set by each test.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def run_in_fresh_process(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONDONTWRITEBYTECODE="1", **env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_environment() -> dict[str, str]:
    signing_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.cn",
        "CERTIFICATE_SIGNING_KEY": signing_key.decode("ascii"),
    }


PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.DEBUG)"
)


def test_the_deployment_check_warns_when_certificates_cannot_be_signed() -> None:
    environment = production_environment()
    del environment["CERTIFICATE_SIGNING_KEY"]

    result = run_in_fresh_process(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **environment)

    assert result.returncode == 1
    assert "certification.W001" in result.stderr + result.stdout


def test_the_production_settings_pass_every_deployment_check() -> None:
    result = run_in_fresh_process(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_environment()
    )

    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    environment = production_environment()
    del environment["SECRET_KEY"]

    result = run_in_fresh_process(["manage.py", "check"], **environment)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set."
    )


def test_a_bad_value_stops_the_process_at_start_up_with_the_variables_name() -> None:
    result = run_in_fresh_process(["manage.py", "check"], DEBUG="1", REDIS_URL="localhost:6379")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: REDIS_URL='localhost:6379' must look like redis://host:6379/0."
    )


@pytest.mark.smoke
def test_the_embedded_default_is_sqlite_with_tasks_run_in_process() -> None:
    result = run_in_fresh_process(["-c", PRINT_SETTINGS], DEBUG="1")

    assert (result.returncode, result.stdout.split(), result.stderr) == (
        0,
        ["django.db.backends.sqlite3", "True", "memory://", "True"],
        "",
    )


def test_with_database_and_redis_urls_the_portal_uses_postgresql_and_a_real_broker() -> None:
    result = run_in_fresh_process(
        ["-c", PRINT_SETTINGS],
        DEBUG="1",
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
    )

    assert (result.returncode, result.stdout.split(), result.stderr) == (
        0,
        ["config.db.postgresql", "False", "redis://cache.internal:6379/0", "True"],
        "",
    )


def test_the_test_suite_can_run_tasks_in_process_while_redis_serves_the_cache() -> None:
    result = run_in_fresh_process(
        ["-c", PRINT_SETTINGS],
        DEBUG="1",
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_TASK_ALWAYS_EAGER="1",
    )

    assert (result.returncode, result.stdout.split(), result.stderr) == (
        0,
        ["config.db.postgresql", "True", "redis://cache.internal:6379/0", "True"],
        "",
    )
