from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessorsConfig(AppConfig):
    """Assessors, their competence and conflicts, teams, assessments and reports (the workflow issue)."""

    name = "assessors"
    verbose_name = _("Assessors and assessments")
