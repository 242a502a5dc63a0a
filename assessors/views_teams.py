"""Pages of assessments and teams: the plan, the proposal with its reasons, and each move on the team.

Every assessment and team member is looked up through ``assessors.selectors_teams`` (unseen:
404). The secretariat plans, proposes, edits, confirms and rules; an assessor answers for their
own place; a member of the assessed CAB objects. The services check every rule again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from accreditation.choices_applications import ApplicationStatus, ScopeAction
from accreditation.models import Application
from accreditation.selectors import user_cabs
from accreditation.selectors_applications import application_qs_for
from accreditation.views.base import ServiceFormView, StaffActionView, current_user
from assessors import services_teams
from assessors.choices import TEAM_MEMBER_TRANSITIONS, AssessmentKind, AssessmentStatus, TeamMemberStatus, TeamRole
from assessors.forms import ConfirmForm
from assessors.forms_teams import (
    AssessmentForm,
    OptionalReasonForm,
    ReasonForm,
    RescheduleForm,
    RulingForm,
    TeamMemberAddForm,
)
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_reports import is_lead_assessor, is_working_member, remote_session_qs_for, report_qs_for
from assessors.selectors_teams import (
    assessment_qs_for,
    assessor_users,
    my_assignments,
    team_coverage,
    team_member_qs_for,
)
from core.roles import Role, has_role, is_secretariat, is_staff_reader


def assessment_url(assessment: Assessment | int) -> str:
    pk = assessment if isinstance(assessment, int) else assessment.pk
    return reverse("assessors:assessment_detail", args=[pk])


class AssessmentDetailView(LoginRequiredMixin, TemplateView):
    """The plan, the team with why each member was proposed, excluded assessors, coverage and the actions."""

    template_name = "assessors/assessment_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        assessment = get_object_or_404(assessment_qs_for(user), pk=self.kwargs["pk"])
        members = list(
            team_member_qs_for(user).filter(assessment=assessment).select_related("user").order_by("role", "pk")
        )
        on_team = [m for m in members if m.status not in (TeamMemberStatus.DECLINED, TeamMemberStatus.UPHELD)]
        staff = is_staff_reader(user)
        is_cab_member = user_cabs(user).filter(pk=assessment.application.cab_id).exists()
        secretariat = is_secretariat(user)
        working = is_working_member(user, assessment)
        reports = list(report_qs_for(user).filter(assessment=assessment).order_by("-version"))
        remote = assessment.kind in (AssessmentKind.REMOTE, AssessmentKind.HYBRID)
        return super().get_context_data(
            assessment=assessment,
            is_remote=remote,
            sessions=list(remote_session_qs_for(user).filter(assessment=assessment)) if remote else [],
            can_edit_remote=remote and (secretariat or is_lead_assessor(user, assessment)),
            can_add_session=remote and (secretariat or working),
            reports=reports,
            can_start_report=working
            and assessment.status == AssessmentStatus.TEAM_CONFIRMED
            and not assessment.reports.exists(),
            shows_findings=assessment.status in (AssessmentStatus.REPORTED, AssessmentStatus.COMPLETED),
            members=members,
            coverage=team_coverage(assessment, on_team),
            show_proposal=staff,
            can_plan=is_secretariat(user) and assessment.status == AssessmentStatus.PLANNING,
            can_reschedule=secretariat
            and assessment.status in (AssessmentStatus.PLANNING, AssessmentStatus.TEAM_CONFIRMED)
            and assessment.application.status == ApplicationStatus.ACCEPTED,
            can_object=is_cab_member,
            objectable=sorted(s for s, moves in TEAM_MEMBER_TRANSITIONS.items() if TeamMemberStatus.OBJECTED in moves),
            answerable=sorted(s for s, moves in TEAM_MEMBER_TRANSITIONS.items() if TeamMemberStatus.ACCEPTED in moves),
            **kwargs,
        )


class MyAssignmentsView(LoginRequiredMixin, TemplateView):
    """An assessor's places on confirmed teams, with accept and decline."""

    template_name = "assessors/my_assignments.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if user.is_authenticated and not has_role(user, Role.ASSESSOR):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            assignments=my_assignments(current_user(self.request)),
            answerable=sorted(s for s, moves in TEAM_MEMBER_TRANSITIONS.items() if TeamMemberStatus.ACCEPTED in moves),
            **kwargs,
        )


# --- the secretariat ----------------------------------------------------------------------------


class AssessmentCreateView(StaffActionView):
    form_class = AssessmentForm
    title = _("Plan the assessment")
    submit_label = _("Plan")
    object: Application

    def get_object(self) -> Application:
        return get_object_or_404(application_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        items = self.object.items.exclude(action=ScopeAction.REMOVE).order_by("position", "pk")
        return {**super().get_form_kwargs(), "items": items}

    def perform(self, form: AssessmentForm) -> Assessment:
        data = form.cleaned_data
        return services_teams.assessment_create(
            application=self.object,
            actor=current_user(self.request),
            kind=data["kind"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            sites=data["sites"],
            scope_items=data["scope_items"],
        )

    def success_url_for(self, result: Assessment) -> str:
        return assessment_url(result)

    def cancel_url(self) -> str:
        return reverse("accreditation:application_detail", args=[self.object.pk])


class _AssessmentActionView(StaffActionView):
    object: Assessment

    def get_object(self) -> Assessment:
        return get_object_or_404(assessment_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return assessment_url(self.object)

    def cancel_url(self) -> str:
        return assessment_url(self.object)


class AssessmentRescheduleView(_AssessmentActionView):
    form_class = RescheduleForm
    title = _("Move the assessment's dates")
    intro = _(
        "For an assessment not yet held, such as a surveillance the planner planned: the dates agreed with the CAB "
        "and the team. The CAB and the team members are told."
    )
    submit_label = _("Move")

    def get_initial(self) -> dict[str, Any]:
        return {"planned_start": self.object.planned_start, "planned_end": self.object.planned_end}

    def perform(self, form: RescheduleForm) -> Assessment:
        return services_teams.assessment_reschedule(
            assessment=self.object, actor=current_user(self.request), **form.cleaned_data
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The assessment is moved to {start} – {end}.").format(
            start=f"{result.planned_start:%Y-%m-%d}", end=f"{result.planned_end:%Y-%m-%d}"
        )


class TeamProposeView(_AssessmentActionView):
    form_class = ConfirmForm
    title = _("Propose a team")
    intro = _(
        "The portal chooses assessors who together cover every scope item, with a qualified lead assessor, "
        "leaving out anyone with a conflict of interest or unavailable on the planned dates, fewest recent "
        "assessment days first. Members it proposed before are replaced; manual picks stay."
    )
    submit_label = _("Propose")

    def perform(self, form: ConfirmForm) -> Any:
        return services_teams.team_propose(assessment=self.object, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        count = len(result.members)
        return ngettext("The portal proposed {count} member.", "The portal proposed {count} members.", count).format(
            count=count
        )


class TeamConfirmView(_AssessmentActionView):
    form_class = ConfirmForm
    title = _("Confirm the team")
    intro = _("The members are asked to accept; they can then read the assessment and the CAB's register page.")
    submit_label = _("Confirm the team")

    def perform(self, form: ConfirmForm) -> Assessment:
        return services_teams.team_confirm(assessment=self.object, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("The team is confirmed.")


class TeamMemberAddView(_AssessmentActionView):
    form_class = TeamMemberAddForm
    title = _("Add a team member")
    submit_label = _("Add")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "assessors": assessor_users(), "initial": {"role": TeamRole.ASSESSOR}}

    def perform(self, form: TeamMemberAddForm) -> TeamMember:
        return services_teams.team_member_add(
            assessment=self.object,
            actor=current_user(self.request),
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        )


class _MemberActionView(ServiceFormView):
    object: TeamMember

    def get_object(self) -> TeamMember:
        return get_object_or_404(team_member_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return assessment_url(self.object.assessment_id)

    def cancel_url(self) -> str:
        return assessment_url(self.object.assessment_id)


class TeamMemberRemoveView(StaffActionView, _MemberActionView):
    form_class = ConfirmForm
    title = _("Remove a proposed member")
    submit_label = _("Remove")
    danger = True

    def perform(self, form: ConfirmForm) -> None:
        services_teams.team_member_remove(member=self.object, actor=current_user(self.request))


class ObjectionRuleView(StaffActionView, _MemberActionView):
    form_class = RulingForm
    title = _("Rule on the CAB's objection")
    submit_label = _("Rule")

    def get_intro(self) -> str | Promise:
        return _("The CAB objects: {reason}").format(reason=self.object.objection_reason)

    def perform(self, form: RulingForm) -> TeamMember:
        return services_teams.team_objection_rule(
            member=self.object,
            actor=current_user(self.request),
            uphold=form.cleaned_data["uphold"],
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: TeamMember) -> str | Promise:
        return _("Ruling recorded: {status}.").format(status=result.get_status_display())


# --- the assessor and the CAB ---------------------------------------------------------------------


class _OwnPlaceView(LoginRequiredMixin, _MemberActionView):
    """The assessor's own place: anybody else is refused before the form is shown."""

    def get_object(self) -> TeamMember:
        return get_object_or_404(my_assignments(current_user(self.request)), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return reverse("assessors:my_assignments")

    def cancel_url(self) -> str:
        return reverse("assessors:my_assignments")


class TeamMemberAcceptView(_OwnPlaceView):
    form_class = ConfirmForm
    title = _("Accept my place on the team")
    submit_label = _("Accept")

    def perform(self, form: ConfirmForm) -> TeamMember:
        return services_teams.team_member_accept(member=self.object, actor=current_user(self.request))

    def success_message(self, result: TeamMember) -> str | Promise:
        return _("You accepted your place on the team.")


class TeamMemberDeclineView(_OwnPlaceView):
    form_class = OptionalReasonForm
    title = _("Decline my place on the team")
    submit_label = _("Decline")
    danger = True

    def perform(self, form: OptionalReasonForm) -> TeamMember:
        return services_teams.team_member_decline(
            member=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: TeamMember) -> str | Promise:
        return _("You declined your place on the team.")


class TeamMemberObjectView(LoginRequiredMixin, _MemberActionView):
    """A member of the assessed CAB objects to a team member; anybody else gets 403."""

    form_class = ReasonForm
    title = _("Object to a team member")
    submit_label = _("Object")

    def get_object(self) -> TeamMember:
        member = super().get_object()
        if not user_cabs(current_user(self.request)).filter(pk=member.assessment.application.cab_id).exists():
            raise PermissionDenied
        return member

    def get_intro(self) -> str | Promise:
        return _("Say why {name} should not assess your CAB; the secretariat rules on it.").format(
            name=self.object.user
        )

    def perform(self, form: ReasonForm) -> TeamMember:
        return services_teams.team_member_object(
            member=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: TeamMember) -> str | Promise:
        return _("Your objection was sent to the secretariat.")
