"""Deployment checks of the certification app (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def signing_key_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Without a signing key no accreditation certificate can be issued: say so before the first decision does."""
    if settings.CERTIFICATE_SIGNING_KEY or settings.CERTIFICATE_DEVELOPMENT_KEY_PATH:
        return []
    return [
        Warning(
            "CERTIFICATE_SIGNING_KEY is not set: accreditation certificates cannot be signed, so decisions "
            "will issue none.",
            hint="Generate one with `openssl genpkey -algorithm ed25519` and pass it as CERTIFICATE_SIGNING_KEY_FILE.",
            id="certification.W001",
        )
    ]
