"""``manage.py check --deploy`` on the production settings: no warning, and the hardening it stands for.

Each case starts a fresh process with the environment a deployment gives (``.env.example``):
DEBUG not set at all, a real-length SECRET_KEY, ALLOWED_HOSTS and the certificate signing key.
"""

from __future__ import annotations

import json
import secrets

import pytest

from tests.config.test_settings import production_environment, run_in_fresh_process

CHECK_DEPLOY = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]

PRINT_HARDENING = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": s.SESSION_COOKIE_SAMESITE,
    "SESSION_COOKIE_AGE": s.SESSION_COOKIE_AGE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": s.CSRF_COOKIE_HTTPONLY,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": list(s.SECURE_PROXY_SSL_HEADER),
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "frame-ancestors": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"],
    "first backend": s.AUTHENTICATION_BACKENDS[0],
    "AXES_FAILURE_LIMIT": s.AXES_FAILURE_LIMIT,
    "AXES_COOLOFF_TIME": s.AXES_COOLOFF_TIME.total_seconds(),
}))
"""


def deployment() -> dict[str, str]:
    """What production sets: DEBUG is simply not set (off is the default)."""
    environment = production_environment()
    del environment["DEBUG"]
    return environment


def test_check_deploy_finds_nothing_to_warn_about_in_the_production_settings() -> None:
    result = run_in_fresh_process(CHECK_DEPLOY, **deployment())

    assert (result.returncode, result.stdout.strip(), result.stderr) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_production_sends_cookies_over_https_only_with_short_sessions_and_hsts() -> None:
    result = run_in_fresh_process(["-c", PRINT_HARDENING], **deployment())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 8 * 3600,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY",
        "frame-ancestors": ["'none'"],
        "first backend": "axes.backends.AxesStandaloneBackend",
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_TIME": 30 * 60.0,
    }


@pytest.mark.parametrize(
    ("weakened", "warning"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECRET_KEY": secrets.token_urlsafe(8)}, "security.W009"),
    ],
)
def test_check_deploy_fails_a_deployment_that_turns_a_protection_off(weakened: dict[str, str], warning: str) -> None:
    result = run_in_fresh_process(CHECK_DEPLOY, **{**deployment(), **weakened})

    assert result.returncode == 1
    assert warning in result.stderr
