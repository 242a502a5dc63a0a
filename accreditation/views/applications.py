"""Applications: the CAB's list, drafting and submitting; the secretariat's queue and acceptance review.

Reads start from ``application_qs_for``: an application the user may not see is a 404. The CAB's
moves are offered to members of the applying CAB only (others who can see it get 403); the
review to the secretariat only. Each POST calls one service; a refusal shows its message on the
form and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView

from accreditation import selectors
from accreditation.api.applications import document_response
from accreditation.choices_applications import (
    REQUIRED_DOCUMENTS,
    SCOPE_ACTIONS,
    ApplicationStatus,
    ChangeKind,
    DocumentKind,
    checklist_for,
)
from accreditation.filtersets_applications import ApplicationFilterSet
from accreditation.forms import ConfirmForm
from accreditation.forms_applications import (
    ApplicationCreateForm,
    ApplicationItemForm,
    ApplicationUpdateForm,
    DocumentForm,
    ReviewForm,
    WithdrawForm,
)
from accreditation.hooks import assessment_facts
from accreditation.models import Application, ApplicationDocument, ApplicationScopeItem
from accreditation.scope_shapes import fields_of
from accreditation.selectors_applications import (
    acceptance_queue,
    application_diff,
    application_document_qs_for,
    application_item_qs_for,
    application_qs_for,
    current_scope_items,
)
from accreditation.selectors_decisions import decisions_of
from accreditation.services import applications as services
from accreditation.services.applications import CHANGE_FIELDS, missing_documents
from accreditation.services.decisions import is_decision_maker
from accreditation.views.base import (
    REGISTER_PAGE_SIZE,
    SecretariatRequiredMixin,
    ServiceFormView,
    StaffActionView,
    current_user,
)
from accreditation.views.presenters import scope_rows
from core.roles import is_secretariat


def _is_member(request: HttpRequest, application: Application) -> bool:
    return selectors.user_cabs(current_user(request)).filter(pk=application.cab_id).exists()


def _detail_url(application: Application) -> str:
    return reverse("accreditation:application_detail", args=[application.pk])


class ApplicationListView(LoginRequiredMixin, ListView):
    """ "My applications" for a CAB's members; every submitted application for the staff."""

    template_name = "accreditation/applications/list.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[Application]:
        applications = application_qs_for(current_user(self.request)).order_by("-created_at", "-pk")
        self.filterset = ApplicationFilterSet(self.request.GET or None, queryset=applications)
        return self.filterset.qs if self.filterset.is_valid() else applications

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        return super().get_context_data(
            filter_form=self.filterset.form,
            can_apply=selectors.user_cabs(user).exists(),
            is_secretariat=is_secretariat(user),
            **kwargs,
        )


class AcceptanceQueueView(LoginRequiredMixin, SecretariatRequiredMixin, ListView):
    """Submitted applications waiting for the acceptance review, oldest first, with their due dates."""

    template_name = "accreditation/applications/queue.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[Application]:
        return acceptance_queue(current_user(self.request))


def cell_text(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


@dataclass
class AppliedRow:
    item: ApplicationScopeItem
    cells: list[str]


def applied_rows(shape: str, items: list[ApplicationScopeItem]) -> list[AppliedRow]:
    return [AppliedRow(item, [cell_text(item.attributes.get(f.name)) for f in fields_of(shape)]) for item in items]


def may_decide(user: Any, application: Application) -> bool:
    """Whether to offer ``user`` the decision: a decision maker, not on the team, the case ready."""
    if not is_decision_maker(user) or application.status != ApplicationStatus.ACCEPTED:
        return False
    facts = assessment_facts(application)
    return facts.ready and user.pk not in facts.participant_ids


class ApplicationDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/applications/detail.html"
    context_object_name = "application"

    def get_queryset(self) -> QuerySet[Application]:
        return application_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        application: Application = self.object
        user = current_user(self.request)
        shape = application.programme.scope_shape
        diff = application_diff(application)
        is_member = _is_member(self.request, application)
        changes = [
            {
                "label": ChangeKind(kind).label,
                "values": [
                    (label, application.proposed_changes.get(kind, {}).get(name) or "—")
                    for name, label in CHANGE_FIELDS[kind]
                ],
            }
            for kind in application.change_kinds
        ]
        return super().get_context_data(
            columns=fields_of(shape),
            items=applied_rows(shape, list(application.items.all())),
            added=applied_rows(shape, diff.added),
            removed=scope_rows(shape, diff.removed),
            kept_count=len(diff.kept),
            has_scope=bool(SCOPE_ACTIONS[application.type]),
            documents=list(application.documents.select_related("uploaded_by")),
            required=[DocumentKind(k).label for k in REQUIRED_DOCUMENTS[application.type]],
            missing=[DocumentKind(k).label for k in missing_documents(application)] if application.is_editable else [],
            changes=changes,
            checklist=[
                (question, application.review_checklist.get(key)) for key, question in checklist_for(application.type)
            ],
            can_edit=is_member and application.is_editable,
            can_review=is_secretariat(user) and application.status == ApplicationStatus.SUBMITTED,
            shows_outcome=application.reviewed_at is not None,
            decisions=list(decisions_of(application, user).prefetch_related("items")),
            can_decide=may_decide(user, application),
            **kwargs,
        )


# --- The CAB's moves ----------------------------------------------------------------------------


class ApplicationCreateView(LoginRequiredMixin, ServiceFormView):
    """Start a draft: a member of a CAB chooses the programme and the type."""

    form_class = ApplicationCreateForm
    title = _("New application")
    intro = _("Start a draft; you can add scope items and documents before you submit it.")
    submit_label = _("Create draft")

    def get_object(self) -> Any:
        self.cabs = selectors.user_cabs(current_user(self.request)).order_by("name_zh", "pk")
        if not self.cabs.exists():
            raise PermissionDenied
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cabs": self.cabs}

    def perform(self, form: ApplicationCreateForm) -> Application:
        return services.application_create(
            cab=form.cleaned_data["cab"],
            programme=form.cleaned_data["programme"],
            type=form.cleaned_data["type"],
            note=form.cleaned_data["note"],
            actor=current_user(self.request),
        )

    def success_message(self, result: Application) -> str | Promise:
        return _("Draft {reference} created.").format(reference=result.reference)

    def success_url_for(self, result: Application) -> str:
        return _detail_url(result)

    def cancel_url(self) -> str:
        return reverse("accreditation:application_list")


class _MemberActionView(LoginRequiredMixin, ServiceFormView):
    """A CAB member's move on one of their CAB's applications: staff who can see it get 403."""

    application: Application

    def get_application(self) -> Application:
        application = get_object_or_404(application_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"])
        if not _is_member(self.request, application):
            raise PermissionDenied
        return application

    def get_object(self) -> Any:
        self.application = self.get_application()
        return self.application

    def success_url_for(self, result: Any) -> str:
        return _detail_url(self.application)

    def cancel_url(self) -> str:
        return _detail_url(self.application)


class ApplicationUpdateView(_MemberActionView):
    form_class = ApplicationUpdateForm
    title = _("Edit application")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "application": self.application}

    def perform(self, form: ApplicationUpdateForm) -> Application:
        return services.application_update(
            application=self.application, actor=current_user(self.request), **form.service_arguments()
        )

    def success_message(self, result: Application) -> str | Promise:
        return _("Application saved.")


class ApplicationItemAddView(_MemberActionView):
    form_class = ApplicationItemForm
    title = _("Add a scope item")

    def get_intro(self) -> str | Promise:
        return self.application.get_type_display()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "application": self.application,
            "current": current_scope_items(self.application),
        }

    def perform(self, form: ApplicationItemForm) -> ApplicationScopeItem:
        return services.application_add_item(
            application=self.application, actor=current_user(self.request), **form.service_arguments()
        )

    def success_message(self, result: ApplicationScopeItem) -> str | Promise:
        return _("Scope item added.")


class ApplicationSubmitView(_MemberActionView):
    form_class = ConfirmForm
    title = _("Submit the application")
    intro = _("The secretariat reviews it for completeness; you cannot edit it unless it is returned to you.")
    submit_label = _("Submit")

    def perform(self, form: ConfirmForm) -> Application:
        return services.application_submit(application=self.application, actor=current_user(self.request))

    def success_message(self, result: Application) -> str | Promise:
        return _("Application {reference} submitted; the review is due by {date}.").format(
            reference=result.reference, date=result.review_due_on
        )


class ApplicationWithdrawView(_MemberActionView):
    form_class = WithdrawForm
    title = _("Withdraw the application")
    submit_label = _("Withdraw")
    danger = True

    def perform(self, form: WithdrawForm) -> Application:
        return services.application_withdraw(
            application=self.application, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: Application) -> str | Promise:
        return _("Application withdrawn.")


class ApplicationItemRemoveView(_MemberActionView):
    form_class = ConfirmForm
    title = _("Remove this scope item from the application")
    submit_label = _("Remove")
    danger = True

    def get_application(self) -> Application:
        self.item = get_object_or_404(
            application_item_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )
        if not _is_member(self.request, self.item.application):
            raise PermissionDenied
        return self.item.application

    def get_intro(self) -> str | Promise:
        return str(self.item)

    def perform(self, form: ConfirmForm) -> None:
        services.application_remove_item(item=self.item, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("Scope item removed.")


class ApplicationDocumentAddView(_MemberActionView):
    form_class = DocumentForm
    template_name = "core/upload_form.html"
    title = _("Attach a document")
    submit_label = _("Upload")

    def perform(self, form: DocumentForm) -> ApplicationDocument:
        return services.application_attach_document(
            application=self.application,
            actor=current_user(self.request),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )

    def success_message(self, result: ApplicationDocument) -> str | Promise:
        return _("{label} attached.").format(label=result.label)


class ApplicationDocumentRemoveView(_MemberActionView):
    form_class = ConfirmForm
    title = _("Remove this document")
    submit_label = _("Remove")
    danger = True

    def get_application(self) -> Application:
        self.document = get_object_or_404(
            application_document_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )
        if not _is_member(self.request, self.document.application):
            raise PermissionDenied
        return self.document.application

    def get_intro(self) -> str | Promise:
        return self.document.label

    def perform(self, form: ConfirmForm) -> None:
        services.application_remove_document(document=self.document, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("Document removed.")


class ApplicationDocumentDownloadView(LoginRequiredMixin, View):
    """The file, for whoever may see the application; its name on disk is never shown."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(application_document_qs_for(current_user(request)), pk=pk)
        return document_response(document)


# --- The secretariat's review -------------------------------------------------------------------


class ApplicationReviewView(StaffActionView):
    form_class = ReviewForm
    template_name = "accreditation/applications/review.html"
    title = _("Acceptance review")
    submit_label = _("Record the outcome")

    def get_object(self) -> Any:
        self.application = get_object_or_404(
            application_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )
        return self.application

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "application": self.application}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(application=self.application, **kwargs)

    def perform(self, form: ReviewForm) -> Application:
        data, actor = form.cleaned_data, current_user(self.request)
        if data["outcome"] == "accept":
            return services.application_accept(
                application=self.application,
                actor=actor,
                checklist=data["checklist"],
                pre_visit=data.get("pre_visit", False),
                reason=data["reasons"],
            )
        move = services.application_return if data["outcome"] == "return" else services.application_refuse
        return move(application=self.application, actor=actor, reasons=data["reasons"], checklist=data["checklist"])

    def success_message(self, result: Application) -> str | Promise:
        return _("{reference}: {status}.").format(reference=result.reference, status=result.get_status_display())

    def success_url_for(self, result: Application) -> str:
        return reverse("accreditation:application_queue")

    def cancel_url(self) -> str:
        return _detail_url(self.application)
