"""Who sees which assessment report, finding, attachment and remote session.

``report_qs_for`` decides for reports: secretariat staff and decision makers see every version;
the working members of an assessment's team see every version of its report, drafts included;
the members of the assessed CAB see only the versions the lead assessor submitted (submitted or
superseded), never a draft; everybody else sees none. Findings, attachments and remote sessions
follow the report or the assessment they belong to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accreditation.selectors import AnyUser, user_cabs
from assessors.choices import ReportStatus, TeamRole
from assessors.models_reports import AssessmentReport, Finding, ReportAttachment
from assessors.models_teams import Assessment, RemoteSession, TeamMember
from assessors.selectors_teams import WORKING_STATUSES, assessment_qs_for
from core.models import User
from core.roles import Role, has_role, is_staff_reader

#: The versions a CAB may read: what the team has sent, never its working draft.
CAB_VISIBLE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.SUPERSEDED)


def _team_assessment_ids(user: User) -> Any:
    return TeamMember.objects.filter(user=user, status__in=sorted(WORKING_STATUSES)).values("assessment_id")


def _visible(user: AnyUser, prefix: str) -> Q | None:
    """The condition on ``<prefix>assessment`` and ``<prefix>status``; ``None``: everything."""
    if is_staff_reader(user):
        return None
    visible = Q(
        **{
            f"{prefix}assessment__application__cab__in": user_cabs(user),
            f"{prefix}status__in": list(CAB_VISIBLE_STATUSES),
        }
    )
    if isinstance(user, User) and has_role(user, Role.ASSESSOR):
        visible |= Q(**{f"{prefix}assessment_id__in": _team_assessment_ids(user)})
    return visible


def report_qs_for(user: AnyUser) -> QuerySet[AssessmentReport]:
    reports = AssessmentReport.objects.select_related(
        "assessment__application__cab", "assessment__application__programme", "created_by", "submitted_by", "amends"
    )
    if not user.is_authenticated:
        return reports.none()
    visible = _visible(user, "")
    return reports if visible is None else reports.filter(visible)


def finding_qs_for(user: AnyUser) -> QuerySet[Finding]:
    """Findings of the visible reports: a CAB sees only those raised in a version it was sent."""
    findings = Finding.objects.select_related(
        "report", "assessment__application__cab", "assessment__application__programme", "item", "created_by"
    )
    if not user.is_authenticated:
        return findings.none()
    visible = _visible(user, "report__")
    return findings if visible is None else findings.filter(visible)


def report_attachment_qs_for(user: AnyUser) -> QuerySet[ReportAttachment]:
    return ReportAttachment.objects.select_related("report__assessment__application", "uploaded_by").filter(
        report__in=report_qs_for(user)
    )


def remote_session_qs_for(user: AnyUser) -> QuerySet[RemoteSession]:
    """Sessions of the assessments the user sees (the CAB took part in them, so it sees them too)."""
    return RemoteSession.objects.select_related("assessment__application", "created_by").filter(
        assessment__in=assessment_qs_for(user)
    )


# --- who may act (the services check again) -------------------------------------------------------


def is_working_member(user: AnyUser, assessment: Assessment) -> bool:
    """On the team and working on it: confirmed, accepted, or kept after an objection."""
    return bool(
        user.is_authenticated
        and TeamMember.objects.filter(assessment=assessment, user=user, status__in=sorted(WORKING_STATUSES)).exists()
    )


def is_lead_assessor(user: AnyUser, assessment: Assessment) -> bool:
    return bool(
        user.is_authenticated
        and TeamMember.objects.filter(
            assessment=assessment, user=user, role=TeamRole.LEAD_ASSESSOR, status__in=sorted(WORKING_STATUSES)
        ).exists()
    )


def latest_submitted(assessment: Assessment) -> AssessmentReport | None:
    """The version in force: the last one the lead assessor submitted."""
    return (
        AssessmentReport.objects.filter(assessment=assessment, status=ReportStatus.SUBMITTED)
        .order_by("-version")
        .first()
    )
