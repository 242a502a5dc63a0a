"""Assessors' pages: "my assessor profile", the secretariat's list, each assessor's page and the approvals queue.

Every record is looked up through ``assessors.selectors`` (unseen: 404). An assessor acts on
their own record, the secretariat on anyone's; decision makers read and change nothing (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from accreditation.views.base import REGISTER_PAGE_SIZE, ServiceFormView, StaffActionView, current_user
from assessors import selectors, services
from assessors.choices import (
    COMPETENCE_TRANSITIONS,
    QUALIFICATION_TRANSITIONS,
    CompetenceStatus,
    QualificationStatus,
)
from assessors.filtersets import AssessorFilterSet
from assessors.forms import (
    CompetenceRequestForm,
    ConfirmForm,
    ConflictEndForm,
    ConflictForm,
    DecisionForm,
    ProfileCreateForm,
    ProfileForm,
    QualificationRequestForm,
    TrainingForm,
    UnavailabilityForm,
)
from assessors.models import (
    AssessorProfile,
    Competence,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from core.roles import Role, has_role, is_secretariat, is_staff_reader


def profile_url(profile: AssessorProfile, user: Any) -> str:
    """Their own page for an assessor, the assessor's page for the staff."""
    if profile.user_id == user.pk and not is_staff_reader(user):
        return reverse("assessors:my_profile")
    return reverse("assessors:assessor_detail", args=[profile.pk])


class StaffReaderRequiredMixin(UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return is_staff_reader(self.request.user)


# --- reading ----------------------------------------------------------------------------------


class AssessorListView(LoginRequiredMixin, StaffReaderRequiredMixin, ListView):
    template_name = "assessors/assessor_list.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "assessors"

    def get_queryset(self) -> QuerySet[AssessorProfile]:
        profiles = (
            selectors.assessor_qs_for(current_user(self.request))
            .prefetch_related(
                Prefetch(
                    "qualifications",
                    queryset=Qualification.objects.filter(status=QualificationStatus.APPROVED).select_related(
                        "programme"
                    ),
                )
            )
            .order_by("user__full_name", "pk")
        )
        self.filterset = AssessorFilterSet(self.request.GET or None, queryset=profiles)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filterset=self.filterset, **kwargs)


def _record_context(profile: AssessorProfile, user: Any) -> dict[str, Any]:
    can_change = is_secretariat(user) or profile.user_id == user.pk
    return {
        "profile": profile,
        "qualifications": profile.qualifications.select_related("programme", "decided_by"),
        "competences": profile.competences.select_related("code__programme", "decided_by"),
        "training_records": profile.training_records.all(),
        "conflicts": profile.conflicts.select_related("cab"),
        "unavailabilities": profile.unavailabilities.all(),
        "can_change": can_change,
        "can_decide": is_secretariat(user) and profile.user_id != user.pk,
        "is_own": profile.user_id == user.pk,
    }


class MyProfileView(LoginRequiredMixin, TemplateView):
    """An assessor's own record; the first visit creates the empty profile."""

    template_name = "assessors/assessor_detail.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if user.is_authenticated and not has_role(user, Role.ASSESSOR):
            if is_staff_reader(user):
                return HttpResponseRedirect(reverse("assessors:assessor_list"))
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        profile = services.profile_get_or_create(user=user, actor=user)
        return super().get_context_data(**_record_context(profile, user), **kwargs)


class AssessorDetailView(LoginRequiredMixin, DetailView):
    template_name = "assessors/assessor_detail.html"
    context_object_name = "profile"

    def get_queryset(self) -> QuerySet[AssessorProfile]:
        return selectors.assessor_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**_record_context(self.object, current_user(self.request)), **kwargs)


class ApprovalQueueView(LoginRequiredMixin, StaffReaderRequiredMixin, TemplateView):
    template_name = "assessors/approval_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            qualifications=selectors.pending_qualifications(),
            competences=selectors.pending_competences(),
            **kwargs,
        )


# --- the assessor's own record (or the secretariat on their behalf) -----------------------------


class RecordActionView(LoginRequiredMixin, ServiceFormView):
    """A change to one assessor's record: the assessor themself or the secretariat; staff readers get 403."""

    profile: AssessorProfile

    def profile_for(self, profile: AssessorProfile) -> AssessorProfile:
        user = current_user(self.request)
        if not (is_secretariat(user) or profile.user_id == user.pk):
            raise PermissionDenied
        self.profile = profile
        return profile

    def success_url_for(self, result: Any) -> str:
        return profile_url(self.profile, current_user(self.request))

    def cancel_url(self) -> str:
        return profile_url(self.profile, current_user(self.request))


class _ProfileActionView(RecordActionView):
    def get_object(self) -> AssessorProfile:
        return self.profile_for(
            get_object_or_404(selectors.assessor_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        )


class ProfileEditView(_ProfileActionView):
    form_class = ProfileForm
    title = _("Edit assessor profile")

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in services.PROFILE_FIELDS}

    def perform(self, form: ProfileForm) -> AssessorProfile:
        return services.profile_update(profile=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("Profile saved.")


class QualificationRequestView(_ProfileActionView):
    form_class = QualificationRequestForm
    title = _("Request a qualification")
    intro = _("The secretariat approves or rejects the request.")
    submit_label = _("Request")

    def perform(self, form: QualificationRequestForm) -> Qualification:
        return services.qualification_request(
            profile=self.object, actor=current_user(self.request), **form.cleaned_data
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("Qualification requested.")


class CompetenceRequestView(_ProfileActionView):
    form_class = CompetenceRequestForm
    title = _("Request a competence code")
    intro = _("The secretariat approves or rejects the request.")
    submit_label = _("Request")

    def perform(self, form: CompetenceRequestForm) -> Competence:
        return services.competence_request(
            profile=self.object, actor=current_user(self.request), code=form.cleaned_data["code"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("Competence code requested.")


class TrainingAddView(_ProfileActionView):
    form_class = TrainingForm
    title = _("Add a training record")

    def perform(self, form: TrainingForm) -> TrainingRecord:
        return services.training_record_add(profile=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("Training record added.")


class ConflictDeclareView(_ProfileActionView):
    form_class = ConflictForm
    title = _("Declare a conflict of interest")
    intro = _(
        "Employment, consultancy, training given to a CAB or financial ties with it: "
        "you will not be proposed for its assessments."
    )
    submit_label = _("Declare")

    def perform(self, form: ConflictForm) -> ConflictOfInterest:
        return services.conflict_declare(profile=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("Conflict of interest declared.")


class UnavailabilityAddView(_ProfileActionView):
    form_class = UnavailabilityForm
    title = _("Add an unavailable period")

    def perform(self, form: UnavailabilityForm) -> Unavailability:
        return services.unavailability_add(profile=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("Unavailable period added.")


class QualificationCancelView(RecordActionView):
    form_class = ConfirmForm
    title = _("Take back the qualification request")
    submit_label = _("Take back")
    danger = True

    def get_object(self) -> Qualification:
        qualification = get_object_or_404(
            selectors.qualification_qs_for(current_user(self.request)), pk=self.kwargs["pk"]
        )
        self.profile_for(qualification.assessor)
        return qualification

    def perform(self, form: ConfirmForm) -> None:
        services.qualification_cancel(qualification=self.object, actor=current_user(self.request))


class CompetenceCancelView(RecordActionView):
    form_class = ConfirmForm
    title = _("Take back the competence request")
    submit_label = _("Take back")
    danger = True

    def get_object(self) -> Competence:
        competence = get_object_or_404(selectors.competence_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.profile_for(competence.assessor)
        return competence

    def perform(self, form: ConfirmForm) -> None:
        services.competence_cancel(competence=self.object, actor=current_user(self.request))


class TrainingRemoveView(RecordActionView):
    form_class = ConfirmForm
    title = _("Remove the training record")
    submit_label = _("Remove")
    danger = True

    def get_object(self) -> TrainingRecord:
        record = get_object_or_404(selectors.training_record_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.profile_for(record.assessor)
        return record

    def perform(self, form: ConfirmForm) -> None:
        services.training_record_remove(record=self.object, actor=current_user(self.request))


class ConflictEndView(RecordActionView):
    form_class = ConflictEndForm
    title = _("End the conflict of interest")
    intro = _("It still excludes the assessor from this CAB's assessments for two years after it ends.")

    def get_object(self) -> ConflictOfInterest:
        conflict = get_object_or_404(selectors.conflict_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.profile_for(conflict.assessor)
        return conflict

    def perform(self, form: ConflictEndForm) -> ConflictOfInterest:
        return services.conflict_end(
            conflict=self.object, actor=current_user(self.request), ended_on=form.cleaned_data["ended_on"]
        )


class UnavailabilityRemoveView(RecordActionView):
    form_class = ConfirmForm
    title = _("Remove the unavailable period")
    submit_label = _("Remove")
    danger = True

    def get_object(self) -> Unavailability:
        period = get_object_or_404(selectors.unavailability_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.profile_for(period.assessor)
        return period

    def perform(self, form: ConfirmForm) -> None:
        services.unavailability_remove(period=self.object, actor=current_user(self.request))


# --- the secretariat's decisions ----------------------------------------------------------------


class ProfileCreateView(StaffActionView):
    form_class = ProfileCreateForm
    title = _("Open an assessor profile")
    intro = _("For a user already in the assessor group.")
    submit_label = _("Open")

    def get_object(self) -> None:
        return None

    def perform(self, form: ProfileCreateForm) -> AssessorProfile:
        return services.profile_get_or_create(user=form.cleaned_data["user"], actor=current_user(self.request))

    def success_url_for(self, result: AssessorProfile) -> str:
        return reverse("assessors:assessor_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("assessors:assessor_list")


class _DecisionView(StaffActionView):
    submit_label = _("Decide")
    transitions: dict[str, set[str]]
    labels: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        allowed = self.transitions.get(self.object.status, set())
        choices = [(value, label) for value, label in self.labels.choices if value in allowed]
        return {**super().get_form_kwargs(), "choices": choices}

    def success_url_for(self, result: Any) -> str:
        return reverse("assessors:assessor_detail", args=[self.object.assessor_id])

    def cancel_url(self) -> str:
        return reverse("assessors:approval_queue")

    def success_message(self, result: Any) -> str | Promise:
        return _("Decision recorded: {status}.").format(status=result.get_status_display())


class QualificationDecideView(_DecisionView):
    form_class = DecisionForm
    title = _("Decide on a qualification")
    transitions = QUALIFICATION_TRANSITIONS
    labels = QualificationStatus

    def get_object(self) -> Qualification:
        return get_object_or_404(selectors.qualification_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: DecisionForm) -> Qualification:
        moves = {
            QualificationStatus.APPROVED: services.qualification_approve,
            QualificationStatus.REJECTED: services.qualification_reject,
            QualificationStatus.SUSPENDED: services.qualification_suspend,
            QualificationStatus.WITHDRAWN: services.qualification_withdraw,
        }
        move = moves[QualificationStatus(form.cleaned_data["status"])]
        return move(qualification=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"])


class CompetenceDecideView(_DecisionView):
    form_class = DecisionForm
    title = _("Decide on a competence code")
    transitions = COMPETENCE_TRANSITIONS
    labels = CompetenceStatus

    def get_object(self) -> Competence:
        return get_object_or_404(selectors.competence_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: DecisionForm) -> Competence:
        user, reason = current_user(self.request), form.cleaned_data["reason"]
        if form.cleaned_data["status"] == CompetenceStatus.APPROVED:
            return services.competence_approve(competence=self.object, actor=user, reason=reason)
        return services.competence_reject(competence=self.object, actor=user, reason=reason)
