"""Pages of assessment reports (versions, recommendations, findings, attachments) and remote-assessment details.

Every report, finding, attachment and session is looked up through ``assessors.selectors_reports``
(unseen: 404). Who may see it but not act gets 403 before the form is shown: the report is
written by the working members of the team, submitted and amended by its lead assessor; the ICT
details are kept by the secretariat or the lead assessor, sessions by the team or the
secretariat. The services check every rule again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accreditation.uploads import media_type
from accreditation.views.base import ServiceFormView, current_user
from assessors import services_reports
from assessors.choices import ReportStatus
from assessors.forms import ConfirmForm
from assessors.forms_reports import (
    AmendForm,
    AttachmentForm,
    FindingForm,
    RecommendationForm,
    RemoteDetailsForm,
    RemoteSessionForm,
    ReportForm,
)
from assessors.models_reports import AssessmentReport, Finding, ReportAttachment
from assessors.models_teams import Assessment, RemoteSession
from assessors.selectors_reports import (
    finding_qs_for,
    is_lead_assessor,
    is_working_member,
    remote_session_qs_for,
    report_attachment_qs_for,
    report_qs_for,
)
from assessors.selectors_teams import assessment_qs_for, item_label
from assessors.views_teams import assessment_url
from core.roles import is_secretariat


def report_url(report: AssessmentReport | int) -> str:
    pk = report if isinstance(report, int) else report.pk
    return reverse("assessors:report_detail", args=[pk])


def attachment_response(attachment: ReportAttachment) -> FileResponse:
    """The stored file, sent as an attachment under its sanitised label (never a public media URL)."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.label,
        content_type=media_type(attachment.label),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the report page ------------------------------------------------------------------------------


class ReportDetailView(LoginRequiredMixin, TemplateView):
    """One version: a recommendation per scope item, the findings, attachments, every version and the moves."""

    template_name = "assessors/reports/report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        report = get_object_or_404(report_qs_for(user), pk=self.kwargs["pk"])
        assessment = report.assessment
        shape = assessment.application.programme.scope_shape
        given = {row.item_id: row for row in report.recommendations.all()}
        rows = [
            {"item": item, "label": item_label(item, shape), "recommendation": given.get(item.pk)}
            for item in assessment.scope_items.order_by("position", "pk")
        ]
        labels = {item.pk: item_label(item, shape) for item in assessment.scope_items.all()}
        findings = [
            {"finding": finding, "item_label": labels.get(finding.item_id or 0, "")}
            for finding in finding_qs_for(user).filter(assessment=assessment).order_by("number")
        ]
        member = is_working_member(user, assessment)
        lead = is_lead_assessor(user, assessment)
        draft = report.status == ReportStatus.DRAFT
        has_draft = assessment.reports.filter(status=ReportStatus.DRAFT).exists()
        return super().get_context_data(
            report=report,
            assessment=assessment,
            rows=rows,
            missing=[row for row in rows if row["recommendation"] is None],
            findings=findings,
            attachments=list(report.attachments.select_related("uploaded_by")),
            versions=list(report_qs_for(user).filter(assessment=assessment).order_by("-version")),
            can_edit=member and draft,
            can_submit=lead and draft,
            can_amend=lead and report.status == ReportStatus.SUBMITTED and not has_draft,
            **kwargs,
        )


# --- the team's moves on the report -----------------------------------------------------------------


class _ReportActionView(LoginRequiredMixin, ServiceFormView):
    """A move on a report the user sees: a working team member's (403 for anybody else who sees it)."""

    object: AssessmentReport
    lead_only = False

    def get_object(self) -> AssessmentReport:
        report = get_object_or_404(report_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.check_actor(report.assessment)
        return report

    def check_actor(self, assessment: Assessment) -> None:
        user = current_user(self.request)
        allowed = is_lead_assessor(user, assessment) if self.lead_only else is_working_member(user, assessment)
        if not allowed:
            raise PermissionDenied

    def success_url_for(self, result: Any) -> str:
        return report_url(self.object)

    def cancel_url(self) -> str:
        return report_url(self.object)


class ReportStartView(LoginRequiredMixin, ServiceFormView):
    form_class = ConfirmForm
    title = _("Start the assessment report")
    intro = _("Version 1 of the report is created as a draft the whole team can edit; the lead assessor submits it.")
    submit_label = _("Start the report")
    object: Assessment

    def get_object(self) -> Assessment:
        assessment = get_object_or_404(assessment_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        if not is_working_member(current_user(self.request), assessment):
            raise PermissionDenied
        return assessment

    def perform(self, form: ConfirmForm) -> AssessmentReport:
        return services_reports.report_start(assessment=self.object, actor=current_user(self.request))

    def success_message(self, result: AssessmentReport) -> str | Promise:
        return _("The report is started.")

    def success_url_for(self, result: AssessmentReport) -> str:
        return report_url(result)

    def cancel_url(self) -> str:
        return assessment_url(self.object)


class ReportEditView(_ReportActionView):
    form_class = ReportForm
    title = _("Edit the report")

    def get_initial(self) -> dict[str, Any]:
        return {"summary": self.object.summary, "conclusion": self.object.conclusion}

    def perform(self, form: ReportForm) -> AssessmentReport:
        return services_reports.report_update(
            report=self.object,
            actor=current_user(self.request),
            summary=form.cleaned_data["summary"],
            conclusion=form.cleaned_data["conclusion"],
        )

    def success_message(self, result: AssessmentReport) -> str | Promise:
        return _("The report is saved.")


class ReportRecommendationView(_ReportActionView):
    form_class = RecommendationForm
    title = _("Recommendation on a scope item")

    def get_object(self) -> AssessmentReport:
        report = super().get_object()
        self.item = get_object_or_404(report.assessment.scope_items.all(), pk=self.kwargs["item_pk"])
        return report

    def get_intro(self) -> str | Promise:
        return item_label(self.item, self.object.assessment.application.programme.scope_shape)

    def get_initial(self) -> dict[str, Any]:
        row = self.object.recommendations.filter(item=self.item).first()
        return {"recommendation": row.recommendation, "conditions": row.conditions} if row else {}

    def perform(self, form: RecommendationForm) -> Any:
        return services_reports.report_recommendation_set(
            report=self.object,
            actor=current_user(self.request),
            item=self.item,
            recommendation=form.cleaned_data["recommendation"],
            conditions=form.cleaned_data["conditions"],
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("Recommendation saved.")


class _FindingFormMixin:
    object: Any
    request: HttpRequest

    def finding_form_kwargs(self, assessment: Assessment) -> dict[str, Any]:
        return {
            "items": assessment.scope_items.order_by("position", "pk"),
            "shape": assessment.application.programme.scope_shape,
        }


class FindingAddView(_FindingFormMixin, _ReportActionView):
    form_class = FindingForm
    title = _("Raise a finding")
    submit_label = _("Add the finding")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.finding_form_kwargs(self.object.assessment)}

    def perform(self, form: FindingForm) -> Finding:
        data = form.cleaned_data
        return services_reports.finding_add(
            report=self.object,
            actor=current_user(self.request),
            kind=data["kind"],
            grade=data["grade"],
            clause=data["clause"],
            statement=data["statement"],
            evidence=data["evidence"],
            item=data["item"],
        )

    def success_message(self, result: Finding) -> str | Promise:
        return _("{finding} added.").format(finding=result)


class _FindingActionView(_ReportActionView):
    """A finding of a report version the user sees; the team's members act, anybody else who sees it gets 403."""

    finding: Finding

    def get_object(self) -> AssessmentReport:
        self.finding = get_object_or_404(finding_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.check_actor(self.finding.assessment)
        return self.finding.report

    def get_intro(self) -> str | Promise:
        return str(self.finding)


class FindingEditView(_FindingFormMixin, _FindingActionView):
    form_class = FindingForm
    title = _("Edit the finding")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.finding_form_kwargs(self.finding.assessment)}

    def get_initial(self) -> dict[str, Any]:
        f = self.finding
        return {
            "kind": f.kind,
            "grade": f.grade,
            "clause": f.clause,
            "statement": f.statement,
            "evidence": f.evidence,
            "item": f.item_id,
        }

    def perform(self, form: FindingForm) -> Finding:
        return services_reports.finding_update(
            finding=self.finding, actor=current_user(self.request), **form.cleaned_data
        )

    def success_message(self, result: Finding) -> str | Promise:
        return _("{finding} saved.").format(finding=result)


class FindingRemoveView(_FindingActionView):
    form_class = ConfirmForm
    title = _("Remove the finding")
    submit_label = _("Remove")
    danger = True

    def perform(self, form: ConfirmForm) -> None:
        services_reports.finding_remove(finding=self.finding, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("Finding removed.")


class ReportAttachmentAddView(_ReportActionView):
    form_class = AttachmentForm
    template_name = "core/upload_form.html"
    title = _("Attach a file to the report")
    submit_label = _("Upload")

    def perform(self, form: AttachmentForm) -> ReportAttachment:
        return services_reports.report_attachment_add(
            report=self.object, actor=current_user(self.request), upload=form.cleaned_data["file"]
        )

    def success_message(self, result: ReportAttachment) -> str | Promise:
        return _("{label} attached.").format(label=result.label)


class ReportAttachmentRemoveView(_ReportActionView):
    form_class = ConfirmForm
    title = _("Remove this attachment")
    submit_label = _("Remove")
    danger = True
    attachment: ReportAttachment

    def get_object(self) -> AssessmentReport:
        self.attachment = get_object_or_404(report_attachment_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.check_actor(self.attachment.report.assessment)
        return self.attachment.report

    def get_intro(self) -> str | Promise:
        return self.attachment.label

    def perform(self, form: ConfirmForm) -> None:
        services_reports.report_attachment_remove(attachment=self.attachment, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("Attachment removed.")


class ReportAttachmentDownloadView(LoginRequiredMixin, View):
    """The file, for whoever may see the report version; its name on disk is never shown."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(report_attachment_qs_for(current_user(request)), pk=pk)
        return attachment_response(attachment)


class ReportSubmitView(_ReportActionView):
    form_class = ConfirmForm
    title = _("Submit the report")
    submit_label = _("Submit")
    lead_only = True

    def get_intro(self) -> str | Promise:
        return _(
            "The report is locked once submitted; the CAB is told which nonconformities to answer and by when. "
            "A later change is an amendment, a new version."
        )

    def perform(self, form: ConfirmForm) -> AssessmentReport:
        return services_reports.report_submit(report=self.object, actor=current_user(self.request))

    def success_message(self, result: AssessmentReport) -> str | Promise:
        return _("Version {version} of the report is submitted.").format(version=result.version)


class ReportAmendView(_ReportActionView):
    form_class = AmendForm
    title = _("Amend the report")
    intro = _(
        "A new draft version is created from this one (summary, conclusion and recommendations). Findings already "
        "raised stay in force; new ones may be added."
    )
    submit_label = _("Start the amendment")
    lead_only = True

    def perform(self, form: AmendForm) -> AssessmentReport:
        return services_reports.report_amend(
            report=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: AssessmentReport) -> str | Promise:
        return _("Version {version} is open for the amendment.").format(version=result.version)

    def success_url_for(self, result: AssessmentReport) -> str:
        return report_url(result)


# --- remote and hybrid assessments ------------------------------------------------------------------


class _RemoteActionView(LoginRequiredMixin, ServiceFormView):
    """A move on an assessment the user sees: the secretariat's, or a team member's (403 for anybody else)."""

    lead_only = False

    def check_actor(self, assessment: Assessment) -> None:
        user = current_user(self.request)
        if is_secretariat(user):
            return
        allowed = is_lead_assessor(user, assessment) if self.lead_only else is_working_member(user, assessment)
        if not allowed:
            raise PermissionDenied

    def get_object(self) -> Any:
        assessment = get_object_or_404(assessment_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.check_actor(assessment)
        return assessment

    def success_url_for(self, result: Any) -> str:
        return assessment_url(self.assessment_pk())

    def cancel_url(self) -> str:
        return assessment_url(self.assessment_pk())

    def assessment_pk(self) -> int:
        return int(self.object.pk)


class RemoteDetailsEditView(_RemoteActionView):
    form_class = RemoteDetailsForm
    title = _("ICT used in the remote assessment")
    lead_only = True
    object: Assessment

    def get_initial(self) -> dict[str, Any]:
        return {
            "ict_tools": self.object.ict_tools,
            "ict_tested_on": self.object.ict_tested_on,
            "ict_security": self.object.ict_security,
        }

    def perform(self, form: RemoteDetailsForm) -> Assessment:
        return services_reports.assessment_remote_details_update(
            assessment=self.object, actor=current_user(self.request), **form.cleaned_data
        )

    def success_message(self, result: Assessment) -> str | Promise:
        return _("The ICT details are saved.")


class RemoteSessionAddView(_RemoteActionView):
    form_class = RemoteSessionForm
    title = _("Record a remote session")
    submit_label = _("Add the session")
    object: Assessment

    def perform(self, form: RemoteSessionForm) -> RemoteSession:
        return services_reports.remote_session_add(
            assessment=self.object, actor=current_user(self.request), **form.cleaned_data
        )

    def success_message(self, result: RemoteSession) -> str | Promise:
        return _("Session recorded.")


class RemoteSessionRemoveView(_RemoteActionView):
    form_class = ConfirmForm
    title = _("Remove the remote session")
    submit_label = _("Remove")
    danger = True
    object: RemoteSession

    def get_object(self) -> RemoteSession:
        session = get_object_or_404(remote_session_qs_for(current_user(self.request)), pk=self.kwargs["pk"])
        self.check_actor(session.assessment)
        return session

    def get_intro(self) -> str | Promise:
        return str(self.object)

    def assessment_pk(self) -> int:
        return int(self.object.assessment_id)

    def perform(self, form: ConfirmForm) -> None:
        services_reports.remote_session_remove(session=self.object, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("Session removed.")
