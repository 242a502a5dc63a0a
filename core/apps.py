from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Users and roles, the audit trail and domain errors: what every other app builds on."""

    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        # Connects the login receiver that asks users who turned two-factor authentication on for a code.
        from core import two_factor  # noqa: F401
