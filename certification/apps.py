from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Accreditation certificates, CB-issued certificates, uploads and the public lookup (the certificates issue)."""

    name = "certification"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        # The audit labels register on import; the hook issues a certificate for each decision
        # that granted, changed or renewed an accreditation. The registry's receivers connect on
        # import, and a worker finds the tasks of every module only if they are imported
        # (autodiscovery reads ``tasks.py`` alone).
        from accreditation.hooks import decision_recorded
        from accreditation.models import Decision
        from certification import (  # noqa: F401
            audit_labels,
            checks,
            receivers_registry,
            services_certificates,
            tasks_registry,
            tasks_uploads,
        )

        decision_recorded.connect(
            issue_certificate_on_decision, sender=Decision, dispatch_uid="certification.issue_certificate_on_decision"
        )


def issue_certificate_on_decision(
    sender: Any, *, decision_id: int, accreditation_id: int | None, application_type: str, **kwargs: Any
) -> None:
    """``decision_recorded`` receiver: sent after the decision committed (see ``accreditation.hooks``)."""
    if accreditation_id is None:
        return
    from certification.services_certificates import accreditation_certificate_issue_for_decision

    accreditation_certificate_issue_for_decision(
        decision_id=decision_id, accreditation_id=accreditation_id, application_type=application_type
    )
