"""Who sees which finding and corrective action, and the queues of answers to give, review and chase.

``finding_qs_for`` decides visibility: secretariat staff and decision makers see every finding;
an assessor working on the assessment's team sees all of its findings, drafts included; the
members of the assessed CAB see the findings of submitted (or since superseded) report versions,
never those of a draft; everybody else none (the same rule as ``selectors_reports.report_qs_for``).
Corrective actions and their files follow their finding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from accreditation.selectors import AnyUser, user_cabs
from assessors.choices import AssessmentStatus, FindingKind, FindingStatus, ReportStatus
from assessors.models_reports import CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_teams import WORKING_STATUSES
from core.models import User
from core.roles import Role, has_role, is_staff_reader

#: Report versions whose findings the CAB reads (a draft is the team's working paper).
PUBLISHED_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.SUPERSEDED)


def _working_assessments(user: User) -> QuerySet[TeamMember, Any]:
    """The ids of the assessments on whose confirmed team the user works."""
    return TeamMember.objects.filter(user=user, status__in=sorted(WORKING_STATUSES)).values("assessment_id")


def finding_qs_for(user: AnyUser) -> QuerySet[Finding]:
    findings = Finding.objects.select_related(
        "assessment__application__cab", "assessment__application__programme", "report"
    )
    if not user.is_authenticated:
        return findings.none()
    if is_staff_reader(user):
        return findings
    visible = Q(assessment__application__cab__in=user_cabs(user), report__status__in=PUBLISHED_REPORT_STATUSES)
    if isinstance(user, User) and has_role(user, Role.ASSESSOR):
        visible |= Q(assessment_id__in=_working_assessments(user))
    return findings.filter(visible)


def corrective_action_qs_for(user: AnyUser) -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.select_related(
        "finding__assessment__application__cab", "submitted_by", "reviewed_by"
    ).filter(finding__in=finding_qs_for(user).values("pk"))


def corrective_action_attachment_qs_for(user: AnyUser) -> QuerySet[CorrectiveActionAttachment]:
    return CorrectiveActionAttachment.objects.filter(corrective_action__finding__in=finding_qs_for(user).values("pk"))


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Nonconformities still open after their answer deadline (``Finding.is_overdue`` in SQL)."""
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}kind": FindingKind.NONCONFORMITY,
            f"{prefix}status": FindingStatus.OPEN,
            f"{prefix}answer_due_on__lt": today,
        }
    )


# --- queues -------------------------------------------------------------------------------------


def findings_to_answer(user: AnyUser) -> QuerySet[Finding]:
    """Open nonconformities of the user's CABs, the earliest deadline (so the overdue ones) first."""
    if not user.is_authenticated:
        return Finding.objects.none()
    return (
        finding_qs_for(user)
        .filter(
            assessment__application__cab__in=user_cabs(user),
            report__status__in=PUBLISHED_REPORT_STATUSES,
            kind=FindingKind.NONCONFORMITY,
            status=FindingStatus.OPEN,
        )
        .order_by("answer_due_on", "assessment_id", "number")
    )


def answers_to_review(user: AnyUser) -> QuerySet[Finding]:
    """Answered nonconformities on the assessments the user works on, the earliest deadline first."""
    if not isinstance(user, User):
        return Finding.objects.none()
    return (
        Finding.objects.select_related("assessment__application__cab", "report")
        .filter(
            assessment_id__in=_working_assessments(user),
            kind=FindingKind.NONCONFORMITY,
            status=FindingStatus.ANSWERED,
        )
        .order_by("answer_due_on", "assessment_id", "number")
    )


class QueueFilter:
    ALL = ""
    OVERDUE = "overdue"
    WAITING = "waiting"


def corrective_action_queue(show: str = QueueFilter.ALL) -> QuerySet[Assessment]:
    """Every reported assessment with its counts of open, answered and overdue nonconformities.

    ``show="overdue"``: only those with an overdue nonconformity; ``show="waiting"``: only those
    with an answer waiting for the assessor's review. The nearest deadline of an unresolved
    nonconformity comes first.
    """
    nonconformity = Q(findings__kind=FindingKind.NONCONFORMITY)
    assessments = (
        Assessment.objects.filter(status=AssessmentStatus.REPORTED)
        .select_related("application__cab", "application__programme")
        .annotate(
            open_count=Count("findings", filter=nonconformity & Q(findings__status=FindingStatus.OPEN)),
            answered_count=Count("findings", filter=nonconformity & Q(findings__status=FindingStatus.ANSWERED)),
            overdue_count=Count("findings", filter=overdue_q(prefix="findings__")),
            next_due=Min(
                "findings__answer_due_on",
                filter=nonconformity & Q(findings__status__in=[FindingStatus.OPEN, FindingStatus.ANSWERED]),
            ),
        )
    )
    if show == QueueFilter.OVERDUE:
        assessments = assessments.filter(overdue_count__gt=0)
    elif show == QueueFilter.WAITING:
        assessments = assessments.filter(answered_count__gt=0)
    return assessments.order_by("next_due", "pk")
