"""Where an assessment stands once its report is in: findings open, or ready for decision.

Both the report services (a report without nonconformities completes the assessment; an
amendment raising one reopens it) and the corrective-action services (accepting the last answer
completes it) call ``assessment_sync_progress`` inside their own transaction, so the status
follows the findings in one place.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accreditation.services.guards import require_transition
from assessors.choices import ASSESSMENT_TRANSITIONS, AssessmentStatus, FindingKind, FindingStatus
from assessors.models_reports import Finding
from assessors.models_teams import Assessment
from core.audit import audit_record
from core.models import User

#: Nonconformities in these statuses keep an assessment waiting for corrective actions.
UNRESOLVED_FINDING_STATUSES = frozenset({FindingStatus.OPEN, FindingStatus.ANSWERED})


def unresolved_nonconformities(assessment: Assessment) -> int:
    return Finding.objects.filter(
        assessment=assessment, kind=FindingKind.NONCONFORMITY, status__in=sorted(UNRESOLVED_FINDING_STATUSES)
    ).count()


def assessment_sync_progress(*, assessment: Assessment, actor: User | None, reason: str = "") -> Assessment:
    """Move a reported or completed assessment to the status its findings call for.

    The caller holds the assessment's row lock. An assessment before its first report is left alone.
    """
    if assessment.status not in (AssessmentStatus.REPORTED, AssessmentStatus.COMPLETED):
        return assessment
    target = AssessmentStatus.REPORTED if unresolved_nonconformities(assessment) else AssessmentStatus.COMPLETED
    if target == assessment.status:
        return assessment
    require_transition(ASSESSMENT_TRANSITIONS, assessment.status, target, AssessmentStatus)
    old = assessment.status
    assessment.status = target
    assessment.save(update_fields=["status"])
    audit_record(
        instance=assessment,
        event_type="assessment.completed" if target == AssessmentStatus.COMPLETED else "assessment.reopened",
        actor=actor,
        reason=reason or str(_("Findings changed")),
        old_values={"status": old},
        new_values={"status": target},
        cab_id=assessment.application.cab_id,
    )
    return assessment
