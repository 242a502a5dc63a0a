"""Pages of the registry: a body's certificates, one certificate, the form, and the secretariat's queue.

Visibility comes from the selectors: a body or certificate the user may not see answers 404; a
body the user sees but may not report for (a decision maker, or a body that is not a
certification body) answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from accreditation.choices import CabKind
from accreditation.models import Cab, CabMembership
from accreditation.selectors import cab_qs_for
from accreditation.views.base import REGISTER_PAGE_SIZE, SecretariatRequiredMixin, current_user
from certification.choices import CertificateStatus, NotAccreditedReason
from certification.forms_registry import CertificateForm
from certification.models import IssuedCertificate, Standard
from certification.selectors_registry import issued_certificate_qs_for, not_accredited_counts, status_history
from certification.services_registry import certificate_save_one, may_report_for
from core.roles import is_staff_reader


def _filtered(certificates: QuerySet[IssuedCertificate], query: Any) -> QuerySet[IssuedCertificate]:
    status = query.get("status", "")
    if status in CertificateStatus.values:
        certificates = certificates.filter(status=status)
    accredited = query.get("accredited", "")
    if accredited in ("yes", "no"):
        certificates = certificates.filter(is_accredited=accredited == "yes")
    standard = query.get("standard", "")
    if standard:
        if connection.vendor == "postgresql":
            certificates = certificates.filter(standards__contains=[standard])
        else:
            certificates = certificates.filter(standards__icontains=standard)
    return certificates


class RegistryListView(LoginRequiredMixin, ListView):
    """A body's certificates, for its members and the accreditation body's staff."""

    template_name = "certification/registry/list.html"
    context_object_name = "certificates"
    paginate_by = REGISTER_PAGE_SIZE
    cb: Cab

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cb = get_object_or_404(cab_qs_for(current_user(request), "view"), pk=kwargs["cb"])
        if not (is_staff_reader(request.user) or CabMembership.objects.filter(cab=self.cb, user=request.user).exists()):
            raise PermissionDenied(
                _("Only the body's members and the accreditation body's staff see its certificates.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        certificates = issued_certificate_qs_for(current_user(self.request)).filter(cb=self.cb)
        return _filtered(certificates, self.request.GET).order_by("certificate_number", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cb=self.cb,
            statuses=CertificateStatus.choices,
            standards=Standard.objects.filter(is_active=True).values_list("code", flat=True),
            may_report=self.cb.kind == CabKind.CERTIFICATION_BODY
            and may_report_for(current_user(self.request), self.cb),
            filters=self.request.GET,
            **kwargs,
        )


class RegistryDetailView(LoginRequiredMixin, DetailView):
    template_name = "certification/registry/detail.html"
    context_object_name = "certificate"

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        return issued_certificate_qs_for(current_user(self.request)).select_related("accreditation")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        certificate = self.object
        return super().get_context_data(
            history=status_history(certificate),
            sites=certificate.sites.all(),
            may_report=may_report_for(current_user(self.request), certificate.cb),
            **kwargs,
        )


class RegistryFormView(LoginRequiredMixin, FormView):
    """Report one certificate (``cb`` in the URL) or correct one already reported (``pk``)."""

    template_name = "certification/registry/form.html"
    form_class = CertificateForm
    cb: Cab
    certificate: IssuedCertificate | None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = current_user(request)
        if "pk" in kwargs:
            self.certificate = get_object_or_404(issued_certificate_qs_for(user), pk=kwargs["pk"])
            self.cb = self.certificate.cb
        else:
            self.certificate = None
            self.cb = get_object_or_404(cab_qs_for(user, "view"), pk=kwargs["cb"])
        if not may_report_for(user, self.cb):
            raise PermissionDenied(_("Only the body's members and the secretariat report its certificates."))
        if self.cb.kind != CabKind.CERTIFICATION_BODY:
            raise PermissionDenied(_("This body is not a certification body: it issues no certificates to report."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "certificate": self.certificate}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cb=self.cb, certificate=self.certificate, **kwargs)

    def form_valid(self, form: CertificateForm) -> HttpResponse:
        certificate, errors = certificate_save_one(cb=self.cb, actor=current_user(self.request), values=form.values())
        if certificate is None:
            form.show_row_errors(errors)
            return self.form_invalid(form)
        messages.success(self.request, str(_("The certificate {number} is saved.").format(number=certificate)))
        return HttpResponseRedirect(reverse("certification:registry_detail", args=[certificate.pk]))


class NotAccreditedQueueView(LoginRequiredMixin, SecretariatRequiredMixin, ListView):
    """The secretariat's queue: certificates not covered by the body's accreditation, per body and reason."""

    template_name = "certification/registry/not_accredited_queue.html"
    context_object_name = "certificates"
    paginate_by = REGISTER_PAGE_SIZE

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        certificates = issued_certificate_qs_for(current_user(self.request)).filter(is_accredited=False)
        cb = self.request.GET.get("cb", "")
        if cb.isdigit():
            certificates = certificates.filter(cb_id=int(cb))
        reason = self.request.GET.get("reason", "")
        if reason in NotAccreditedReason.values:
            certificates = certificates.filter(not_accredited_reason=reason)
        return certificates.order_by("cb__name_zh", "-issue_date", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        labels = dict(NotAccreditedReason.choices)
        counts = [
            {**row, "reason_label": labels.get(str(row["not_accredited_reason"]), row["not_accredited_reason"])}
            for row in not_accredited_counts(current_user(self.request))
        ]
        return super().get_context_data(counts=counts, filters=self.request.GET, **kwargs)
