"""Demonstration assessments at each step after acceptance, made through the services.

The laboratory of the demo logins gets three accepted extensions, each assessed by a team led by
the demo login ``assessor``:

- a **remote** assessment (ICT, its test, two sessions) whose submitted report raised a minor
  nonconformity and an observation: ``lab-admin`` has a finding to answer;
- an **on-site** assessment whose nonconformity the CAB has answered: ``assessor`` has an answer
  to review;
- an **on-site** assessment whose nonconformity was answered and accepted: the assessment is
  completed and ``decider`` finds the application in the decision queue.

Idempotent: a laboratory that already has an assessment is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationType, checklist_for
from accreditation.demo.applications import DEMO_PDF, _new_items
from accreditation.models import Accreditation, Application, Cab, CabMembership
from accreditation.services import applications as application_services
from assessors import services_findings, services_reports, services_teams
from assessors.choices import AssessmentKind, FindingGrade, FindingKind, Recommendation, TeamRole
from assessors.models_reports import AssessmentReport, Finding
from assessors.models_teams import Assessment, TeamMember
from core.models import User

DEMO_ASSESSOR = "assessor"
SECRETARIAT = "secretariat"
LAB_ADMIN = "lab-admin"


@dataclass
class WorkflowReport:
    assessments_created: int = 0


@dataclass(frozen=True)
class _Finding:
    clause: str
    statement: str
    evidence: str


NONCONFORMITIES = (
    _Finding(
        "ISO/IEC 17025:2017 7.2.2",
        "新增检测方法的确认记录不完整，未包括检出限和测量不确定度的评定。",
        "抽查拟扩项目的方法确认报告，缺少检出限验证数据及不确定度评定记录。",
    ),
    _Finding(
        "ISO/IEC 17025:2017 6.4.13",
        "部分设备的期间核查未按程序规定的频次实施。",
        "现场查看气相色谱仪（编号 GC-03）期间核查记录，最近一次核查距今已超过程序规定的6个月。",
    ),
    _Finding(
        "ISO/IEC 17025:2017 6.2.5",
        "新上岗人员的监督记录不能证明其已具备独立操作能力。",
        "抽查检测员 2 名的人员档案，授权前的监督记录仅有 1 次，未覆盖拟扩项目。",
    ),
)
OBSERVATION = _Finding(
    "ISO/IEC 17025:2017 7.11",
    "实验室信息管理系统的权限设置可进一步细化。",
    "远程查看 LIMS 时发现原始记录修改权限由科室负责人统一持有。",
)


def _accepted_extension(
    accreditation: Accreditation, admin: User, secretariat: User, items: list[dict[str, Any]]
) -> Application:
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = application_services.application_create(
        cab=accreditation.cab,
        programme=accreditation.programme,
        type=ApplicationType.EXTENSION,
        actor=admin,
        note="扩大认可范围",
    )
    for attributes in items:
        application_services.application_add_item(application=application, actor=admin, attributes=attributes)
    for kind in REQUIRED_DOCUMENTS[ApplicationType.EXTENSION]:
        application_services.application_attach_document(
            application=application,
            actor=admin,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf"),
        )
    application_services.application_submit(application=application, actor=admin)
    application_services.application_accept(
        application=application,
        actor=secretariat,
        checklist=[key for key, _question in checklist_for(ApplicationType.EXTENSION)],
    )
    return application


def _assessed(application: Application, *, kind: str, start: dt.date, lead: User, secretariat: User) -> Assessment:
    assessment = services_teams.assessment_create(
        application=application,
        actor=secretariat,
        kind=kind,
        planned_start=start,
        planned_end=start + dt.timedelta(days=1),
        sites="总部实验室",
    )
    services_teams.team_member_add(assessment=assessment, actor=secretariat, user=lead, role=TeamRole.LEAD_ASSESSOR)
    services_teams.team_confirm(assessment=assessment, actor=secretariat)
    member = TeamMember.objects.get(assessment=assessment, user=lead)
    services_teams.team_member_accept(member=member, actor=lead)
    return assessment


def _report(
    assessment: Assessment, lead: User, nonconformity: _Finding | None, *, observation: bool
) -> AssessmentReport:
    report = services_reports.report_start(assessment=assessment, actor=lead)
    services_reports.report_update(
        report=report,
        actor=lead,
        summary="评审组依据认可准则对申请扩项的项目进行了评审，查阅了方法确认、人员能力和设备记录，并观察了现场试验。",
        conclusion="实验室基本具备拟扩项目的检测能力，在完成不符合项整改后建议批准扩项。",
    )
    for item in assessment.scope_items.order_by("position", "pk"):
        services_reports.report_recommendation_set(
            report=report,
            actor=lead,
            item=item,
            recommendation=Recommendation.RECOMMEND_WITH_CONDITIONS if nonconformity else Recommendation.RECOMMEND,
            conditions="不符合项整改经评审组验证有效后予以推荐。" if nonconformity else "",
        )
    if nonconformity is not None:
        services_reports.finding_add(
            report=report,
            actor=lead,
            kind=FindingKind.NONCONFORMITY,
            grade=FindingGrade.MINOR,
            clause=nonconformity.clause,
            statement=nonconformity.statement,
            evidence=nonconformity.evidence,
        )
    if observation:
        services_reports.finding_add(
            report=report,
            actor=lead,
            kind=FindingKind.OBSERVATION,
            grade="",
            clause=OBSERVATION.clause,
            statement=OBSERVATION.statement,
            evidence=OBSERVATION.evidence,
        )
    return services_reports.report_submit(report=report, actor=lead)


def _answer(assessment: Assessment, admin: User) -> Any:
    finding = Finding.objects.get(assessment=assessment, kind=FindingKind.NONCONFORMITY)
    return services_findings.corrective_action_submit(
        finding=finding,
        actor=admin,
        correction="已补充完成相关记录并经技术负责人审核。",
        root_cause="程序文件对该环节的要求不够具体，内审未能发现。",
        action="修订程序文件，增加核查清单；对相关人员进行培训并在下次内审中专项检查。",
        evidence="修订后的程序文件、培训签到表及补充记录（已上传）。",
    )


@transaction.atomic
def seed_demo_workflow(*, today: dt.date | None = None) -> WorkflowReport:
    today = today or timezone.localdate()
    report = WorkflowReport()
    lab_admin = User.objects.get(username=LAB_ADMIN)
    lead = User.objects.get(username=DEMO_ASSESSOR)
    secretariat = User.objects.get(username=SECRETARIAT)
    membership = CabMembership.objects.filter(user=lab_admin, is_admin=True).select_related("cab").first()
    if membership is None:
        return report
    lab: Cab = membership.cab
    if Assessment.objects.filter(application__cab=lab).exists():
        return report
    accreditation = Accreditation.objects.filter(cab=lab, status=AccreditationStatus.ACCREDITED).order_by("pk").first()
    if accreditation is None:
        return report
    taken = [item.attributes for application in lab.applications.all() for item in application.items.all()]
    fresh = [a for a in _new_items(accreditation, 12) if a not in taken]
    if len(fresh) < 3:
        return report

    remote = _assessed(
        _accepted_extension(accreditation, lab_admin, secretariat, fresh[0:1]),
        kind=AssessmentKind.REMOTE,
        start=today - dt.timedelta(days=6),
        lead=lead,
        secretariat=secretariat,
    )
    services_reports.assessment_remote_details_update(
        assessment=remote,
        actor=lead,
        ict_tools="腾讯会议（视频与屏幕共享）；记录文件经加密网盘传输",
        ict_tested_on=today - dt.timedelta(days=9),
        ict_security="双方签署保密承诺；会议不录像，截屏仅保存于认可机构服务器，评审结束后90天删除。",
    )
    for day, topic, participants in (
        (
            0,
            "首次会议；方法确认记录远程查阅",
            "刘建国，认可机构，评审组长\n周敏，实验室，质量负责人\n吴磊，实验室，技术负责人",
        ),
        (1, "现场试验视频见证；末次会议", "刘建国，认可机构，评审组长\n吴磊，实验室，技术负责人\n检测员 2 名，实验室"),
    ):
        starts = timezone.make_aware(dt.datetime.combine(remote.planned_start + dt.timedelta(days=day), dt.time(9)))
        services_reports.remote_session_add(
            assessment=remote,
            actor=lead,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            topic=topic,
            participants=participants,
            ict="腾讯会议",
        )
    _report(remote, lead, NONCONFORMITIES[0], observation=True)

    answered = _assessed(
        _accepted_extension(accreditation, lab_admin, secretariat, fresh[1:2]),
        kind=AssessmentKind.ON_SITE,
        start=today - dt.timedelta(days=20),
        lead=lead,
        secretariat=secretariat,
    )
    _report(answered, lead, NONCONFORMITIES[1], observation=False)
    _answer(answered, lab_admin)

    completed = _assessed(
        _accepted_extension(accreditation, lab_admin, secretariat, fresh[2:3]),
        kind=AssessmentKind.ON_SITE,
        start=today - dt.timedelta(days=40),
        lead=lead,
        secretariat=secretariat,
    )
    _report(completed, lead, NONCONFORMITIES[2], observation=False)
    services_findings.corrective_action_review(
        corrective_action=_answer(completed, lab_admin), actor=lead, accept=True, comment="整改措施有效，予以关闭。"
    )
    report.assessments_created = 3
    return report
