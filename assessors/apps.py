from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessorsConfig(AppConfig):
    """Assessors, their competence and conflicts, teams, assessments and reports (the workflow issue)."""

    name = "assessors"
    verbose_name = _("Assessors and assessments")

    def ready(self) -> None:
        from accreditation.hooks import provide_assessment_facts
        from assessors.decision_facts import AssessorsFactsProvider

        provide_assessment_facts(AssessorsFactsProvider())
