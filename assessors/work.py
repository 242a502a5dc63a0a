"""The assessors app's panels on "My work" (``core.dashboard``), registered in ``AssessorsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Application
from assessors.choices import AssessmentStatus, ReportStatus, TeamMemberStatus
from assessors.decision_facts import DOCUMENTS_SUFFICE
from assessors.models_reports import Finding
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors import pending_competences, pending_qualifications
from assessors.selectors_findings import (
    QueueFilter,
    answers_to_review,
    corrective_action_queue,
    findings_to_answer,
    overdue_q,
)
from assessors.selectors_teams import WORKING_STATUSES, my_assignments
from core.dashboard import PANEL_ROWS, Panel, PanelRow
from core.models import User
from core.roles import Role, has_role, is_secretariat, is_staff_reader


def _assessment_row(assessment: Assessment, note: str = "") -> PanelRow:
    application = assessment.application
    return PanelRow(
        label=f"{assessment.get_kind_display()} · {application.cab.name}",
        url=reverse("assessors:assessment_detail", args=[assessment.pk]),
        note=note or f"{application} · {assessment.planned_start:%Y-%m-%d}",
    )


def _finding_row(finding: Finding, note: str = "") -> PanelRow:
    return PanelRow(
        label=f"{finding} · {finding.assessment.application.cab.name}",
        url=reverse("assessors:finding_detail", args=[finding.pk]),
        note=note
        or (
            str(_("answer due {date}").format(date=f"{finding.answer_due_on:%Y-%m-%d}"))
            if finding.answer_due_on
            else ""
        ),
        overdue=finding.is_overdue,
    )


def register_panels(user: User) -> Iterator[Panel]:
    if is_secretariat(user):
        # A change notification or a reduction may be decided on its documents, so it waits for no plan.
        to_plan = (
            Application.objects.filter(status=ApplicationStatus.ACCEPTED, assessments__isnull=True)
            .exclude(type__in=sorted(DOCUMENTS_SUFFICE))
            .order_by("reviewed_at", "pk")
        )
        yield Panel(
            key="applications-to-plan",
            title=_("Accepted applications to plan an assessment for"),
            count=to_plan.count(),
            url=reverse("accreditation:application_list") + "?status=accepted",
            rows=[
                PanelRow(
                    label=f"{a} · {a.cab.name}",
                    url=reverse("accreditation:application_detail", args=[a.pk]),
                    note=f"{a.get_type_display()} · {a.programme.code}",
                )
                for a in to_plan.select_related("cab", "programme")[:PANEL_ROWS]
            ],
            order=20,
        )
        planning = Assessment.objects.filter(status=AssessmentStatus.PLANNING).select_related("application__cab")
        yield Panel(
            key="teams-to-confirm",
            title=_("Assessments whose team is not confirmed"),
            count=planning.count(),
            url=reverse("accreditation:application_list") + "?status=accepted",
            rows=[_assessment_row(a) for a in planning.order_by("planned_start", "pk")[:PANEL_ROWS]],
            order=30,
        )
        objections = TeamMember.objects.filter(status=TeamMemberStatus.OBJECTED).select_related(
            "assessment__application__cab", "user"
        )
        yield Panel(
            key="objections",
            title=_("Objections of CABs to team members"),
            count=objections.count(),
            url=reverse("accreditation:application_list") + "?status=accepted",
            rows=[
                _assessment_row(m.assessment, f"{m.user.full_name or m.user.username}: {m.objection_reason}")
                for m in objections.order_by("status_changed_at", "pk")[:PANEL_ROWS]
            ],
            order=35,
        )
        cases = corrective_action_queue()
        yield Panel(
            key="corrective-actions",
            title=_("Assessments waiting for corrective actions"),
            count=cases.count(),
            overdue=corrective_action_queue(QueueFilter.OVERDUE).count(),
            url=reverse("assessors:corrective_action_queue"),
            rows=[
                PanelRow(
                    label=f"{a.get_kind_display()} · {a.application.cab.name}",
                    url=reverse("assessors:finding_list", args=[a.pk]),
                    note=str(
                        _("{open} open, {answered} answered; next due {due}").format(
                            open=getattr(a, "open_count", 0),
                            answered=getattr(a, "answered_count", 0),
                            due=getattr(a, "next_due", None) or "—",
                        )
                    ),
                    overdue=bool(getattr(a, "overdue_count", 0)),
                )
                for a in cases[:PANEL_ROWS]
            ],
            order=40,
        )
        qualifications, competences = pending_qualifications(), pending_competences()
        yield Panel(
            key="assessor-approvals",
            title=_("Qualifications and competences to approve"),
            count=qualifications.count() + competences.count(),
            url=reverse("assessors:approval_queue"),
            rows=[
                PanelRow(
                    label=str(q.assessor),
                    url=reverse("assessors:assessor_detail", args=[q.assessor_id]),
                    note=f"{q.programme.code} · {q.get_role_display()}",
                )
                for q in qualifications[:PANEL_ROWS]
            ],
            order=80,
        )
    if has_role(user, Role.ASSESSOR):
        to_answer = my_assignments(user).filter(status__in=[TeamMemberStatus.CONFIRMED, TeamMemberStatus.DISMISSED])
        yield Panel(
            key="team-places",
            title=_("Team places to accept or decline"),
            count=to_answer.count(),
            url=reverse("assessors:my_assignments"),
            rows=[_assessment_row(m.assessment, m.get_role_display()) for m in to_answer[:PANEL_ROWS]],
            order=10,
        )
        to_report = (
            Assessment.objects.filter(
                status=AssessmentStatus.TEAM_CONFIRMED, members__user=user, members__status__in=sorted(WORKING_STATUSES)
            )
            .exclude(reports__status=ReportStatus.SUBMITTED)
            .select_related("application__cab")
            .distinct()
            .order_by("planned_start", "pk")
        )
        yield Panel(
            key="reports-to-file",
            title=_("Assessments to report on"),
            count=to_report.count(),
            url=reverse("assessors:my_assignments"),
            rows=[_assessment_row(a) for a in to_report[:PANEL_ROWS]],
            order=20,
        )
        to_review = answers_to_review(user)
        yield Panel(
            key="answers-to-review",
            title=_("Answers to nonconformities to review"),
            count=to_review.count(),
            url=reverse("assessors:answers_to_review"),
            rows=[_finding_row(f) for f in to_review[:PANEL_ROWS]],
            order=30,
        )
    if not is_staff_reader(user) and not has_role(user, Role.ASSESSOR):
        to_fix = findings_to_answer(user)
        if to_fix.exists():
            yield Panel(
                key="findings-to-answer",
                title=_("Nonconformities to answer"),
                count=to_fix.count(),
                overdue=to_fix.filter(overdue_q()).count(),
                url=reverse("assessors:findings_to_answer"),
                rows=[_finding_row(f) for f in to_fix[:PANEL_ROWS]],
                order=5,
            )
