from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessorsConfig(AppConfig):
    """Assessors, their competence and conflicts, teams, assessments and reports (the workflow issue)."""

    name = "assessors"
    verbose_name = _("Assessors and assessments")

    def ready(self) -> None:
        # The notification messages and audit labels register themselves on import; a Celery
        # worker that renders an e-mail may never import the services that send it.
        from accreditation.hooks import provide_assessment_facts
        from assessors import audit_labels, notifications_findings, notifications_reports, notifications_teams  # noqa: F401
        from assessors.decision_facts import AssessorsFactsProvider
        from assessors.work import register_panels
        from core.dashboard import register_panels as add_panels

        provide_assessment_facts(AssessorsFactsProvider())
        add_panels(register_panels)
