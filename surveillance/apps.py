from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    """Cycle planning, scheduled jobs, sanctions, complaints and appeals (the supervision issue)."""

    name = "surveillance"
    verbose_name = _("Supervision")
