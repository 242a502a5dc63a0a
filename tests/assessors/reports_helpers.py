"""What the report tests share: an assessment whose confirmed team can write its report.

``team_ready`` goes through the portal's own moves: an accepted extension of ``cab`` with two
scope items (食品 and 金属材料), a remote assessment of it, the portal's proposal (王芳 leads, 李娜
assesses), the secretariat's confirmation, and both assessors accepting their places. The
corrective-action and decision tests may reuse it to reach a submitted report the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

from accreditation.models import Accreditation, Application, ApplicationScopeItem, Cab
from assessors.choices import AssessmentKind, FindingGrade, FindingKind, Recommendation
from assessors.models_reports import AssessmentReport, Finding, ItemRecommendation, ReportAttachment
from assessors.models_teams import Assessment, RemoteSession, TeamMember
from assessors.services_reports import finding_add, report_recommendation_set, report_start, report_submit
from assessors.services_teams import assessment_create, team_confirm, team_member_accept, team_propose
from core.models import AuditEvent, Notification, User
from tests.assessors.teams_helpers import END, START, accepted_extension, pool

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "现场照片.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Team:
    """A confirmed team on an assessment of ``application``: ``lead`` (王芳) and ``member`` (李娜) accepted."""

    application: Application
    assessment: Assessment
    lead: User
    member: User

    @property
    def items(self) -> list[ApplicationScopeItem]:
        return list(self.assessment.scope_items.order_by("position", "pk"))


def team_ready(
    cab: Cab,
    accreditation: Accreditation,
    secretariat: User,
    cab_user: User,
    *,
    kind: str = AssessmentKind.REMOTE,
    start: dt.date = START,
    end: dt.date = END,
) -> Team:
    application = accepted_extension(cab, accreditation, cab_user)
    people = pool(cab, secretariat)
    assessment = assessment_create(
        application=application, actor=secretariat, kind=kind, planned_start=start, planned_end=end
    )
    team_propose(assessment=assessment, actor=secretariat)
    assessment = team_confirm(assessment=assessment, actor=secretariat)
    for user in (people.wang.user, people.li.user):
        team_member_accept(member=TeamMember.objects.get(assessment=assessment, user=user), actor=user)
    return Team(application=application, assessment=assessment, lead=people.wang.user, member=people.li.user)


def recommend_all(report: AssessmentReport, actor: User, recommendation: str = Recommendation.RECOMMEND) -> None:
    for item in report.assessment.scope_items.order_by("position", "pk"):
        conditions = "" if recommendation == Recommendation.RECOMMEND else "需补充能力验证结果"
        report_recommendation_set(
            report=report, actor=actor, item=item, recommendation=recommendation, conditions=conditions
        )


def nonconformity(report: AssessmentReport, actor: User, *, grade: str = FindingGrade.MINOR) -> Finding:
    return finding_add(
        report=report,
        actor=actor,
        kind=FindingKind.NONCONFORMITY,
        grade=grade,
        clause="ISO/IEC 17025:2017 7.7.1",
        statement="未按计划开展期间核查。",
        evidence="2026年天平期间核查记录缺失。",
    )


def observation(report: AssessmentReport, actor: User) -> Finding:
    return finding_add(
        report=report,
        actor=actor,
        kind=FindingKind.OBSERVATION,
        grade="",
        clause="ISO/IEC 17025:2017 6.4.13",
        statement="设备标识可更清晰。",
        evidence="现场查看3台设备。",
    )


def submitted_report(team: Team, *, with_nonconformity: bool = True) -> AssessmentReport:
    """Version 1 written by the team and submitted by the lead: one minor nonconformity (or none)."""
    report = report_start(assessment=team.assessment, actor=team.member)
    recommend_all(report, team.lead)
    if with_nonconformity:
        nonconformity(report, team.member)
    return report_submit(report=report, actor=team.lead)


def today() -> dt.date:
    return timezone.localdate()


_TABLES: tuple[type[Model], ...] = (
    Assessment,
    AssessmentReport,
    ItemRecommendation,
    Finding,
    ReportAttachment,
    RemoteSession,
    Notification,
    AuditEvent,
)


def report_snapshot() -> dict[str, list[dict[str, object]]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _TABLES}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Wrap a refused call: assessments, reports, findings, files, sessions, inboxes and the audit trail stay."""
    before = report_snapshot()
    yield
    assert report_snapshot() == before
