"""The assessors app's panels on "My work" (``core.dashboard``), registered in ``AssessorsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Application
from assessors.choices import AssessmentStatus, TeamMemberStatus
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors import pending_competences, pending_qualifications
from assessors.selectors_teams import my_assignments
from core.dashboard import PANEL_ROWS, Panel, PanelRow
from core.models import User
from core.roles import Role, has_role, is_secretariat


def _assessment_row(assessment: Assessment, note: str = "") -> PanelRow:
    application = assessment.application
    return PanelRow(
        label=f"{assessment.get_kind_display()} · {application.cab.name}",
        url=reverse("assessors:assessment_detail", args=[assessment.pk]),
        note=note or f"{application} · {assessment.planned_start:%Y-%m-%d}",
    )


def register_panels(user: User) -> Iterator[Panel]:
    if is_secretariat(user):
        to_plan = Application.objects.filter(status=ApplicationStatus.ACCEPTED, assessments__isnull=True).order_by(
            "reviewed_at", "pk"
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
