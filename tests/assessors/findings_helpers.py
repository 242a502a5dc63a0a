"""What the corrective-action tests share: a reported assessment with its findings, made with the ORM.

The report services (their own tests) submit a report; here the state they leave behind is
built directly: a confirmed team (王芳 leads, 李娜 assesses), a submitted report version, open
nonconformities with an answer deadline, a noted observation, and the assessment ``reported``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from accreditation.models import Accreditation, Cab
from assessors.choices import (
    AssessmentStatus,
    FindingGrade,
    FindingKind,
    FindingStatus,
    ReportStatus,
    TeamMemberStatus,
    TeamRole,
)
from assessors.models_reports import AssessmentReport, CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment, TeamMember
from core.models import AuditEvent, Notification, User
from tests.assessors.factories import assessor_user
from tests.assessors.teams_helpers import accepted_extension, plan

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def today() -> dt.date:
    return timezone.localdate()


def in_days(days: int) -> dt.date:
    return today() + dt.timedelta(days=days)


def pdf(name: str = "calibration-record.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Reported:
    """A reported assessment of ``cab``: two open nonconformities, one observation, a team of two."""

    assessment: Assessment
    report: AssessmentReport
    lead: User
    colleague: User
    nc: Finding
    major: Finding
    observation: Finding


def team_member(assessment: Assessment, user: User, role: str, added_by: User, **values: object) -> TeamMember:
    values.setdefault("status", TeamMemberStatus.ACCEPTED)
    return TeamMember.objects.create(assessment=assessment, user=user, role=role, added_by=added_by, **values)


def report(
    assessment: Assessment, author: User, *, version: int = 1, status: str = ReportStatus.SUBMITTED
) -> AssessmentReport:
    submitted = status != ReportStatus.DRAFT
    return AssessmentReport.objects.create(
        assessment=assessment,
        version=version,
        status=status,
        summary="现场评审覆盖全部申请项目。",
        created_by=author,
        submitted_by=author if submitted else None,
        submitted_at=timezone.now() if submitted else None,
    )


def finding(
    raised_in: AssessmentReport,
    *,
    number: int,
    kind: str = FindingKind.NONCONFORMITY,
    grade: str = FindingGrade.MINOR,
    status: str = FindingStatus.OPEN,
    due: dt.date | None = None,
    clause: str = "ISO/IEC 17025 7.7.1",
) -> Finding:
    nonconformity = kind == FindingKind.NONCONFORMITY
    return Finding.objects.create(
        report=raised_in,
        assessment=raised_in.assessment,
        number=number,
        kind=kind,
        grade=grade if nonconformity else "",
        clause=clause,
        statement="未按程序监控检测结果的有效性。",
        evidence="2026年未参加能力验证。",
        status=status,
        answer_due_on=(due or in_days(60)) if nonconformity else None,
        created_by=raised_in.created_by,
    )


def reported(
    cab: Cab,
    accreditation: Accreditation,
    *,
    secretariat: User,
    cab_user: User,
    lead_name: str = "wang",
    colleague_name: str = "li",
    due: dt.date | None = None,
) -> Reported:
    """The state ``report_submit`` leaves: findings open with deadlines, the assessment ``reported``."""
    assessment = plan(accepted_extension(cab, accreditation, cab_user), secretariat)
    lead = assessor_user(lead_name, "王芳")
    colleague = assessor_user(colleague_name, "李娜")
    team_member(assessment, lead, TeamRole.LEAD_ASSESSOR, secretariat)
    team_member(assessment, colleague, TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.CONFIRMED)
    submitted = report(assessment, lead)
    nc = finding(submitted, number=1, due=due)
    major = finding(submitted, number=2, grade=FindingGrade.MAJOR, due=due, clause="ISO/IEC 17025 6.4.7")
    observation = finding(submitted, number=3, kind=FindingKind.OBSERVATION, status=FindingStatus.NOTED)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.REPORTED)
    assessment.refresh_from_db()
    return Reported(assessment, submitted, lead, colleague, nc, major, observation)


def answer(finding: Finding, by: User, **values: object) -> CorrectiveAction:
    """An answer stored directly (the submit service has its own tests)."""
    Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.ANSWERED)
    finding.refresh_from_db()
    return CorrectiveAction.objects.create(
        finding=finding,
        correction=str(values.get("correction", "已补做能力验证。")),
        root_cause=str(values.get("root_cause", "年度计划遗漏。")),
        action=str(values.get("action", "修订能力验证计划程序。")),
        submitted_by=by,
    )


ANSWER: dict[str, Any] = {
    "correction": "已报名参加2027年能力验证。",
    "root_cause": "质量监控计划未覆盖该参数。",
    "action": "修订质量监控程序，增加年度核查。",
    "evidence": "能力验证报名回执。",
}

_TABLES: tuple[type[Model], ...] = (
    Assessment,
    Finding,
    CorrectiveAction,
    CorrectiveActionAttachment,
    AuditEvent,
    Notification,
)


def findings_snapshot() -> dict[str, list[dict[str, object]]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _TABLES}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Wrap a refused call: assessments, findings, answers, files, audit trail and inboxes stay as they were."""
    before = findings_snapshot()
    yield
    assert findings_snapshot() == before
