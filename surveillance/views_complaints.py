"""Pages of complaints: the public form, receipt and status page; the secretariat's list, detail and moves;
the staff's "record a complaint"; a CAB user's own form and list.

The public pages need no login. The form is abuse-limited (``surveillance.abuse``) and has a
honeypot; the status page shows only ``selectors_complaints.public_values``. The staff pages read
through ``complaint_qs_for`` (the body's staff; anyone else gets 404 on a complaint, 403 on the
list) and each move is a GET confirmation page whose POST calls one service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accreditation import selectors as accreditation_selectors
from accreditation.forms import add_domain_error
from accreditation.models import Accreditation
from accreditation.views.base import AUDIT_PAGE_SIZE, SecretariatRequiredMixin, StaffActionView, current_user
from accreditation.views.presenters import audit_rows
from core.errors import DomainError
from core.roles import is_secretariat, is_staff_reader
from surveillance import services_complaints
from surveillance.abuse import count_submission
from surveillance.choices import COMPLAINT_TRANSITIONS, ComplaintChannel, ComplaintKind, ComplaintStatus
from surveillance.filtersets import ComplaintFilterSet
from surveillance.forms_complaints import (
    ComplaintForm,
    NoteForm,
    PublicComplaintForm,
    ResolveForm,
    StaffComplaintForm,
)
from surveillance.forms_special import SpecialAssessmentForm
from surveillance.models import Complaint
from surveillance.selectors_complaints import (
    attachment_qs_for,
    complaint_events,
    complaint_qs_for,
    complaints_submitted_by,
    public_complaint,
    public_values,
)

COMPLAINT_PAGE_SIZE = 50
#: The session remembers the visitor's last tracking number for the receipt page (no number in its URL).
RECEIPT_SESSION_KEY = "complaint_receipt"


def complaint_url(complaint: Complaint) -> str:
    return reverse("surveillance:complaint_detail", args=[complaint.pk])


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """``?kind=fake_certificate&certificate=<number>&cab=<id>`` from the lookup's links."""
    query = request.GET
    initial: dict[str, Any] = {}
    if query.get("kind") in ComplaintKind.values:
        initial["kind"] = query["kind"]
    certificate = query.get("certificate", "").strip()[:100]
    if certificate:
        initial["certificate_number"] = certificate
    cab_id = query.get("cab", "")
    if cab_id.isdigit():
        cab = accreditation_selectors.public_cab_qs().filter(pk=int(cab_id)).first()
        if cab is not None:
            initial.update(cab=cab.pk, cab_name_given=cab.name_zh)
    return initial


class _SubmitView(FormView):
    """The form of one channel; a refused submission answers the form again with what was typed."""

    template_name = "surveillance/complaints/new.html"
    channel: ComplaintChannel
    title: str | Promise = ""
    intro: str | Promise = ""

    def get_initial(self) -> dict[str, Any]:
        return _prefill(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=self.title,
            intro=self.intro,
            channel=self.channel,
            acknowledge_days=services_complaints.acknowledge_working_days(),
            **kwargs,
        )

    def admit(self) -> Callable[[], None] | None:
        """What the service calls just before storing (the public form's abuse limit)."""
        return None

    def submit(self, form: ComplaintForm) -> Complaint:
        user = self.request.user
        return services_complaints.complaint_submit(
            channel=self.channel,
            actor=current_user(self.request) if user.is_authenticated else None,
            language=translation.get_language() or "",
            admit=self.admit(),
            **form.service_arguments(),
        )

    def form_valid(self, form: ComplaintForm) -> HttpResponse:
        try:
            complaint = self.submit(form)
        except DomainError as error:
            add_domain_error(form, error)
            response = self.form_invalid(form)
            if error.http_status == 429:
                response.status_code = 429
            return response
        return self.submitted(complaint)

    def submitted(self, complaint: Complaint) -> HttpResponse:
        self.request.session[RECEIPT_SESSION_KEY] = complaint.tracking_number
        return HttpResponseRedirect(reverse("surveillance:complaint_receipt"))


class PublicComplaintView(_SubmitView):
    """Anyone, no login: the public form, linked from the certificate lookup and the footer."""

    form_class = PublicComplaintForm
    channel = ComplaintChannel.PUBLIC
    title = _("Make a complaint")
    intro = _(
        "Complain about an accredited body, about the accreditation body itself, or report a certificate "
        "you believe is fake or a false claim of accreditation."
    )

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        user = self.request.user
        if user.is_authenticated:
            initial.setdefault("complainant_name", getattr(user, "full_name", "") or user.get_username())
            initial.setdefault("complainant_email", getattr(user, "email", ""))
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        is_cab_user = user.is_authenticated and accreditation_selectors.user_cabs(user).exists()
        return super().get_context_data(is_cab_user=is_cab_user, **kwargs)

    def form_valid(self, form: ComplaintForm) -> HttpResponse:
        assert isinstance(form, PublicComplaintForm)
        if form.is_bot:
            # Stores nothing; a person whose browser filled the hidden field is told, not silently dropped.
            form.add_error(
                None, _("Your complaint could not be accepted. Clear the form's hidden field or write to us.")
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def admit(self) -> Callable[[], None] | None:
        request = self.request
        return lambda: count_submission(request)


class CabComplaintView(LoginRequiredMixin, _SubmitView):
    """A CAB's member complains (about another body, or the accreditation body); their details come from the account."""

    form_class = ComplaintForm
    channel = ComplaintChannel.CAB_USER
    title = _("Submit a complaint")
    intro = _("Your account's name and e-mail are sent with the complaint; the secretariat answers you there.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not accreditation_selectors.user_cabs(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        user = current_user(self.request)
        own = accreditation_selectors.user_cabs(user).order_by("pk").first()
        return {
            "complainant_name": user.full_name or user.get_username(),
            "complainant_email": user.email,
            "complainant_organisation": own.name_zh if own else "",
            **super().get_initial(),
        }

    def submitted(self, complaint: Complaint) -> HttpResponse:
        messages.success(
            self.request,
            str(
                _("Your complaint is received; its tracking number is {number}.").format(
                    number=complaint.tracking_number
                )
            ),
        )
        return HttpResponseRedirect(reverse("surveillance:complaint_mine"))


class StaffComplaintRecordView(SecretariatRequiredMixin, _SubmitView):
    """The secretariat records a complaint received by letter or telephone."""

    form_class = StaffComplaintForm
    channel = ComplaintChannel.STAFF
    title = _("Record a complaint")
    intro = _(
        "For a complaint received by letter, telephone or in person. The complainant's contact may be "
        "left empty for an anonymous letter; then nobody is e-mailed."
    )

    def submitted(self, complaint: Complaint) -> HttpResponse:
        messages.success(
            self.request,
            str(_("Complaint {number} is recorded.").format(number=complaint.tracking_number)),
        )
        return HttpResponseRedirect(complaint_url(complaint))


class ComplaintReceiptView(View):
    """What the visitor sees after sending: the tracking number and what happens next."""

    def get(self, request: HttpRequest) -> HttpResponse:
        complaint = public_complaint(str(request.session.get(RECEIPT_SESSION_KEY, "")))
        if complaint is None:
            return HttpResponseRedirect(reverse("surveillance:complaint_new"))
        return render(
            request,
            "surveillance/complaints/receipt.html",
            {"complaint": public_values(complaint), "acknowledge_days": services_complaints.acknowledge_working_days()},
        )


class ComplaintStatusLookupView(View):
    """A box for the tracking number; ``?tracking=`` goes to that complaint's status page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        typed = services_complaints.normalise_tracking_number(request.GET.get("tracking", ""))[:40]
        if typed:
            return HttpResponseRedirect(reverse("surveillance:complaint_status", args=[typed]))
        return render(request, "surveillance/complaints/status_lookup.html", {"tracking": ""})


class ComplaintStatusView(View):
    """A complaint's public status: no personal data, no description; an unknown number is a 404 page."""

    def get(self, request: HttpRequest, tracking: str) -> HttpResponse:
        number = services_complaints.normalise_tracking_number(tracking)
        complaint = public_complaint(number)
        if complaint is None:
            return render(
                request, "surveillance/complaints/status_not_found.html", {"tracking": number[:40]}, status=404
            )
        return render(request, "surveillance/complaints/status.html", {"complaint": public_values(complaint)})


# --- the accreditation body's pages ------------------------------------------------------------------


class StaffReaderRequiredMixin(UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return is_staff_reader(self.request.user)


class ComplaintListView(LoginRequiredMixin, StaffReaderRequiredMixin, ListView):
    """Every complaint, newest first, filtered by status, kind and lateness; late ones carry a badge."""

    template_name = "surveillance/complaints/list.html"
    paginate_by = COMPLAINT_PAGE_SIZE
    context_object_name = "complaints"

    def get_queryset(self) -> QuerySet[Complaint]:
        complaints = complaint_qs_for(current_user(self.request)).order_by("-received_at", "-pk")
        self.filterset = ComplaintFilterSet(self.request.GET or None, queryset=complaints)
        return self.filterset.qs if self.filterset.is_valid() else complaints

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filterset.form, is_secretariat=is_secretariat(self.request.user), **kwargs
        )


class ComplaintDetailView(LoginRequiredMixin, DetailView):
    template_name = "surveillance/complaints/detail.html"
    context_object_name = "complaint"

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaint_qs_for(current_user(self.request)).prefetch_related("attachments")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        complaint: Complaint = self.object
        page = Paginator(complaint_events(complaint), AUDIT_PAGE_SIZE).get_page(self.request.GET.get("audit_page"))
        allowed = COMPLAINT_TRANSITIONS.get(complaint.status, set())
        can_act = is_secretariat(self.request.user)
        return super().get_context_data(
            audit_page=page,
            audit_rows=audit_rows(page.object_list, []),
            can_acknowledge=can_act and ComplaintStatus.ACKNOWLEDGED in allowed,
            can_investigate=can_act and ComplaintStatus.INVESTIGATING in allowed,
            can_resolve=can_act and ComplaintStatus.RESOLVED in allowed,
            can_open_special=can_act
            and complaint.status == ComplaintStatus.INVESTIGATING
            and complaint.cab_id is not None,
            special_assessments=list(
                services_complaints.special_assessments_of(complaint).prefetch_related("assessments")
            ),
            **kwargs,
        )


class ComplaintAttachmentDownloadView(LoginRequiredMixin, View):
    """A complainant's file, for the body's staff only, under its uploaded name."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(attachment_qs_for(current_user(request)), pk=pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class _ComplaintMoveView(StaffActionView):
    def get_object(self) -> Complaint:
        return get_object_or_404(complaint_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return complaint_url(result)

    def cancel_url(self) -> str:
        return complaint_url(self.object)


class ComplaintAcknowledgeView(_ComplaintMoveView):
    form_class = NoteForm
    title = _("Acknowledge the complaint")
    intro = _("The complainant is told by e-mail (when they gave an address) that the complaint is taken on.")
    submit_label = _("Acknowledge")

    def perform(self, form: NoteForm) -> Complaint:
        return services_complaints.complaint_acknowledge(
            complaint=self.object, actor=current_user(self.request), note=form.cleaned_data["note"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The complaint is acknowledged.")


class ComplaintInvestigateView(_ComplaintMoveView):
    form_class = NoteForm
    title = _("Start an investigation")
    intro = _("For a complaint that needs evidence from the body or a visit before it can be resolved.")
    submit_label = _("Start the investigation")

    def perform(self, form: NoteForm) -> Complaint:
        return services_complaints.complaint_start_investigation(
            complaint=self.object, actor=current_user(self.request), note=form.cleaned_data["note"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The complaint is under investigation.")


class ComplaintResolveView(_ComplaintMoveView):
    form_class = ResolveForm
    title = _("Resolve the complaint")
    intro = _("The outcome and its summary are e-mailed to the complainant and shown on the public status page.")
    submit_label = _("Resolve")

    def perform(self, form: ResolveForm) -> Complaint:
        return services_complaints.complaint_resolve(
            complaint=self.object,
            actor=current_user(self.request),
            outcome=form.cleaned_data["outcome"],
            outcome_summary=form.cleaned_data["outcome_summary"],
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The complaint is resolved.")


class MyComplaintsView(LoginRequiredMixin, TemplateView):
    """The complaints the signed-in user submitted, with links to their status pages."""

    template_name = "surveillance/complaints/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        page = Paginator(complaints_submitted_by(user).order_by("-received_at", "-pk"), COMPLAINT_PAGE_SIZE)
        page_obj = page.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page_obj,
            complaints=page_obj.object_list,
            can_submit=accreditation_selectors.user_cabs(user).exists(),
            **kwargs,
        )


class ComplaintSpecialAssessmentView(_ComplaintMoveView):
    form_class = SpecialAssessmentForm
    title = _("Open a special assessment")
    intro = _(
        "A special assessment of the body's accreditation, accepted at once and covering its current scope; "
        "propose its team from the assessment's page. The decision on it maintains the accreditation or leads "
        "to a sanction."
    )
    submit_label = _("Open the special assessment")

    def get_form_kwargs(self) -> dict[str, Any]:
        held = Accreditation.objects.filter(
            cab_id=self.object.cab_id, status__in=sorted(services_complaints.SPECIAL_ASSESSABLE)
        ).select_related("programme")
        return {**super().get_form_kwargs(), "accreditations": held.order_by("pk")}

    def perform(self, form: SpecialAssessmentForm) -> Any:
        return services_complaints.complaint_open_special_assessment(
            complaint=self.object, actor=current_user(self.request), **form.service_arguments()
        )

    def success_url_for(self, result: Any) -> str:
        return reverse("assessors:assessment_detail", args=[result.pk])

    def success_message(self, result: Any) -> str | Promise:
        return _("The special assessment is opened.")
