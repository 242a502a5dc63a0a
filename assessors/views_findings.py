"""Pages of findings and corrective actions: the CAB answers, the team reviews, the secretariat chases.

Findings, answers and files are looked up through ``assessors.selectors_findings`` (unseen: 404).
Who may answer (a member of the assessed CAB) or review (an assessor working on the team) is
checked here to offer the page (others who can see it get 403) and again by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accreditation.selectors import user_cabs
from accreditation.views.base import (
    REGISTER_PAGE_SIZE,
    SecretariatRequiredMixin,
    ServiceFormView,
    StaffActionView,
    current_user,
)
from assessors import services_findings
from assessors.api.views_findings import attachment_response
from assessors.choices import AssessmentStatus, CorrectiveActionStatus, FindingKind, FindingStatus
from assessors.forms_findings import (
    CloseAfterDeadlineForm,
    CorrectiveActionForm,
    CorrectiveActionReviewForm,
    QueueFilterForm,
)
from assessors.models_reports import CorrectiveAction, Finding
from assessors.models_teams import Assessment
from assessors.selectors_findings import (
    PUBLISHED_REPORT_STATUSES,
    QueueFilter,
    answers_to_review,
    corrective_action_attachment_qs_for,
    corrective_action_qs_for,
    corrective_action_queue,
    finding_qs_for,
    findings_to_answer,
)
from assessors.selectors_teams import assessment_qs_for
from assessors.services_findings import is_cab_member, is_late, is_working_on
from core.roles import Role, has_role, is_secretariat


def finding_url(finding: Finding | int) -> str:
    pk = finding if isinstance(finding, int) else finding.pk
    return reverse("assessors:finding_detail", args=[pk])


def _with_answers(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.prefetch_related(
        Prefetch(
            "corrective_actions",
            queryset=CorrectiveAction.objects.select_related("submitted_by", "reviewed_by")
            .prefetch_related("attachments")
            .order_by("submitted_at", "pk"),
        )
    )


@dataclass
class AnswerRow:
    corrective_action: CorrectiveAction
    late: bool


@dataclass
class FindingRow:
    finding: Finding
    latest: AnswerRow | None


def finding_rows(findings: QuerySet[Finding]) -> list[FindingRow]:
    """Each finding with its latest answer; the answers must be prefetched (``_with_answers``)."""
    rows = []
    for finding in findings:
        answers = list(finding.corrective_actions.all())
        latest = answers[-1] if answers else None
        rows.append(FindingRow(finding, AnswerRow(latest, is_late(latest)) if latest else None))
    return rows


class FindingListView(LoginRequiredMixin, TemplateView):
    """Every finding of an assessment the user may see, with its deadline and the latest answer."""

    template_name = "assessors/findings/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        assessment = get_object_or_404(assessment_qs_for(user), pk=self.kwargs["pk"])
        findings = _with_answers(finding_qs_for(user).filter(assessment=assessment).order_by("number"))
        rows = finding_rows(findings)
        return super().get_context_data(
            assessment=assessment,
            rows=rows,
            overdue_count=sum(1 for row in rows if row.finding.is_overdue),
            can_close=is_secretariat(user) and assessment.status == AssessmentStatus.REPORTED,
            **kwargs,
        )


class FindingDetailView(LoginRequiredMixin, TemplateView):
    """The finding, every answer with its files and verdict, and the forms of whoever may act."""

    template_name = "assessors/findings/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        finding = get_object_or_404(_with_answers(finding_qs_for(user)), pk=self.kwargs["pk"])
        answers = [AnswerRow(ca, is_late(ca)) for ca in finding.corrective_actions.all()]
        pending = next(
            (
                row.corrective_action
                for row in answers
                if row.corrective_action.status == CorrectiveActionStatus.SUBMITTED
            ),
            None,
        )
        can_answer = (
            finding.kind == FindingKind.NONCONFORMITY
            and finding.status == FindingStatus.OPEN
            and finding.report.status in PUBLISHED_REPORT_STATUSES
            and is_cab_member(user, finding)
        )
        can_review = pending is not None and is_working_on(user, finding.assessment_id)
        return super().get_context_data(
            finding=finding,
            assessment=finding.assessment,
            answers=answers,
            pending=pending,
            can_answer=can_answer,
            answer_form=CorrectiveActionForm() if can_answer else None,
            can_review=can_review,
            review_form=CorrectiveActionReviewForm() if can_review else None,
            **kwargs,
        )


# --- the moves ------------------------------------------------------------------------------------


class CorrectiveActionSubmitView(LoginRequiredMixin, ServiceFormView):
    """A member of the assessed CAB answers a nonconformity; anybody else who sees it gets 403."""

    form_class = CorrectiveActionForm
    template_name = "assessors/findings/answer_form.html"
    title = _("Answer the nonconformity")
    submit_label = _("Submit the answer")
    object: Finding

    def get_object(self) -> Finding:
        finding = get_object_or_404(finding_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        if not is_cab_member(current_user(self.request), finding):
            raise PermissionDenied
        return finding

    def get_intro(self) -> str | Promise:
        return _("{statement} Answer due by {due}.").format(
            statement=self.object.statement, due=self.object.answer_due_on or "—"
        )

    def perform(self, form: CorrectiveActionForm) -> CorrectiveAction:
        data = form.cleaned_data
        return services_findings.corrective_action_submit(
            finding=self.object,
            actor=current_user(self.request),
            correction=data["correction"],
            root_cause=data["root_cause"],
            action=data["action"],
            evidence=data["evidence"],
            uploads=data["evidence_files"],
        )

    def success_message(self, result: CorrectiveAction) -> str | Promise:
        if is_late(result):
            return _("Your answer was sent to the assessors; it was submitted after the deadline.")
        return _("Your answer was sent to the assessors.")

    def success_url_for(self, result: Any) -> str:
        return finding_url(self.object)

    def cancel_url(self) -> str:
        return finding_url(self.object)


class CorrectiveActionReviewView(LoginRequiredMixin, ServiceFormView):
    """An assessor working on the assessment accepts or rejects an answer; anybody else who sees it gets 403."""

    form_class = CorrectiveActionReviewForm
    title = _("Review the CAB's answer")
    submit_label = _("Record the verdict")
    object: CorrectiveAction

    def get_object(self) -> CorrectiveAction:
        user = current_user(self.request)
        corrective_action = get_object_or_404(corrective_action_qs_for(user), pk=self.kwargs["pk"])
        if not is_working_on(user, corrective_action.finding.assessment_id):
            raise PermissionDenied
        return corrective_action

    def get_intro(self) -> str | Promise:
        return _("Root cause: {cause} · Corrective action: {action}").format(
            cause=self.object.root_cause, action=self.object.action
        )

    def perform(self, form: CorrectiveActionReviewForm) -> CorrectiveAction:
        return services_findings.corrective_action_review(
            corrective_action=self.object,
            actor=current_user(self.request),
            accept=form.cleaned_data["accept"],
            comment=form.cleaned_data["comment"],
        )

    def success_message(self, result: CorrectiveAction) -> str | Promise:
        if result.status == CorrectiveActionStatus.ACCEPTED:
            return _("The answer is accepted; the nonconformity is closed.")
        return _("The answer is rejected; the CAB answers again.")

    def success_url_for(self, result: Any) -> str:
        return finding_url(self.object.finding_id)

    def cancel_url(self) -> str:
        return finding_url(self.object.finding_id)


class CorrectiveActionAttachmentDownloadView(LoginRequiredMixin, View):
    """The file, for whoever may see its finding; its name on disk is never shown."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(corrective_action_attachment_qs_for(current_user(request)), pk=pk)
        return attachment_response(attachment)


class AssessmentCloseAfterDeadlineView(StaffActionView):
    form_class = CloseAfterDeadlineForm
    title = _("Close the case after the answer deadline")
    intro = _(
        "Every open nonconformity lapses and the assessment is completed; the decision maker sees the lapsed "
        "nonconformities as unresolved. Possible only when every deadline has passed and no answer waits for review."
    )
    submit_label = _("Close the case")
    danger = True
    object: Assessment

    def get_object(self) -> Assessment:
        return get_object_or_404(assessment_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: CloseAfterDeadlineForm) -> Assessment:
        return services_findings.assessment_close_after_deadline(
            assessment=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: Assessment) -> str | Promise:
        return _("The case is closed; the open nonconformities lapsed.")

    def success_url_for(self, result: Any) -> str:
        return reverse("assessors:finding_list", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("assessors:corrective_action_queue")


# --- queues ---------------------------------------------------------------------------------------


class FindingsToAnswerView(LoginRequiredMixin, ListView):
    """The CAB's open nonconformities with their deadlines, the overdue ones first."""

    template_name = "assessors/findings/to_answer.html"
    context_object_name = "findings"
    paginate_by = REGISTER_PAGE_SIZE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if user.is_authenticated and not user_cabs(user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Finding]:
        return findings_to_answer(current_user(self.request))


class AnswersToReviewView(LoginRequiredMixin, ListView):
    """An assessor's answers to review on the assessments they work on."""

    template_name = "assessors/findings/to_review.html"
    context_object_name = "findings"
    paginate_by = REGISTER_PAGE_SIZE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if user.is_authenticated and not has_role(user, Role.ASSESSOR):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Finding]:
        return _with_answers(answers_to_review(current_user(self.request)))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = finding_rows(context["findings"])
        return context


class CorrectiveActionQueueView(LoginRequiredMixin, SecretariatRequiredMixin, ListView):
    """The secretariat's view of every case waiting for corrective actions: overdue, waiting for review."""

    template_name = "assessors/findings/queue.html"
    context_object_name = "assessments"
    paginate_by = REGISTER_PAGE_SIZE

    def get_queryset(self) -> QuerySet[Assessment]:
        self.filter_form = QueueFilterForm(self.request.GET or None)
        show = self.filter_form.cleaned_data["show"] if self.filter_form.is_valid() else QueueFilter.ALL
        return corrective_action_queue(show)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)
