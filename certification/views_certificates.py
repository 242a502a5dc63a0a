"""Pages of accreditation certificates: the public verification and key, and the staff's list and actions.

The verification page and the public key need no login; they are in both languages like the
rest of the portal. The list of an accreditation's certificates is for the staff and the CAB's
members (``certified_accreditation_qs_for``); reissuing and retrying are the secretariat's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accreditation.forms import ConfirmForm, ReasonForm
from accreditation.selectors import accreditation_qs_for
from accreditation.views.base import StaffActionView, current_user
from certification.choices import AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from certification.selectors_certificates import (
    accreditation_certificate_qs_for,
    certificate_verification,
    certificates_of,
    certified_accreditation_qs_for,
    current_certificate,
    has_pdf,
    public_certificate,
)
from certification.services_certificates import accreditation_certificate_issue, accreditation_certificate_retry
from core import signing
from core.roles import is_secretariat


def verify_url(certificate: AccreditationCertificate) -> str:
    return reverse("certification:verify", kwargs={"number": certificate.number})


def certificates_url(accreditation_id: int) -> str:
    return reverse("certification:accreditation_certificates", kwargs={"pk": accreditation_id})


def pdf_response(certificate: AccreditationCertificate) -> FileResponse:
    """The stored PDF, shown in the browser, named after the certificate."""
    response = FileResponse(
        certificate.pdf.open("rb"),
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The public -----------------------------------------------------------------------------


class CertificateVerifyView(TemplateView):
    """Is this certificate genuine and in force? Anyone may ask, with the number on it."""

    template_name = "certification/certificate_verify.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        certificate = public_certificate(self.kwargs["number"])
        if certificate is None:
            raise Http404(_("No accreditation certificate has this number."))
        verification = certificate_verification(certificate)
        return super().get_context_data(
            certificate=certificate,
            accreditation=certificate.accreditation,
            cab=certificate.accreditation.cab,
            verification=verification,
            payload_json=signing.canonical_json(certificate.payload).decode("utf-8"),
            **kwargs,
        )


class CertificateDownloadView(View):
    """The PDF of a rendered certificate (also of a superseded one, as it was issued)."""

    def get(self, request: HttpRequest, number: str) -> FileResponse:
        certificate = public_certificate(number)
        if certificate is None or not has_pdf(certificate):
            raise Http404(_("This certificate has no document yet."))
        return pdf_response(certificate)


class PublicKeyView(TemplateView):
    """The key that checks the portal's signatures, for anyone who wants to check them offline."""

    template_name = "certification/public_key.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        key = signing.public_key()
        return super().get_context_data(
            key_id=signing.key_id_of(key), public_key_pem=signing.public_key_pem(key), **kwargs
        )


class PublicKeyPemView(View):
    """The public key as a PEM file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        key = signing.public_key()
        response = HttpResponse(signing.public_key_pem(key), content_type="application/x-pem-file; charset=ascii")
        response["Content-Disposition"] = f'inline; filename="certificate-key-{signing.key_id_of(key)}.pem"'
        return response


# --- Staff and the CAB -----------------------------------------------------------------------


class AccreditationCertificateListView(LoginRequiredMixin, TemplateView):
    """Every certificate issued for one accreditation, newest first, with the secretariat's actions."""

    template_name = "certification/accreditation_certificates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        accreditation = get_object_or_404(certified_accreditation_qs_for(user), pk=self.kwargs["pk"])
        certificates = list(certificates_of(accreditation, user))
        current = next((c for c in certificates if c.status != AccreditationCertificateStatus.SUPERSEDED), None)
        return super().get_context_data(
            accreditation=accreditation,
            certificates=certificates,
            current=current,
            is_secretariat=is_secretariat(user),
            **kwargs,
        )


class CurrentCertificateView(LoginRequiredMixin, View):
    """From the register to the accreditation's current certificate (back to the register when there is none)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        # Whoever may read the accreditation in the register may follow it to its public certificate.
        accreditation = get_object_or_404(accreditation_qs_for(current_user(request)), pk=pk)
        certificate = current_certificate(accreditation)
        if certificate is None:
            messages.info(request, str(_("No certificate was issued for this accreditation yet.")))
            return HttpResponseRedirect(reverse("accreditation:accreditation_detail", kwargs={"pk": accreditation.pk}))
        return HttpResponseRedirect(verify_url(certificate))


class CertificateReissueView(StaffActionView):
    form_class = ReasonForm
    title = _("Reissue the accreditation certificate")
    intro = _(
        "A new certificate with the next number is issued from the register as it stands today, signed and "
        "rendered; the certificate in force is superseded. Say why, for the audit trail."
    )
    submit_label = _("Reissue")

    def get_object(self) -> Any:
        return get_object_or_404(certified_accreditation_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: ReasonForm) -> AccreditationCertificate:
        return accreditation_certificate_issue(
            accreditation=self.object,
            reason=IssueReason.REISSUE,
            actor=current_user(self.request),
            note=form.cleaned_data["reason"],
        )

    def success_message(self, result: AccreditationCertificate) -> str | Promise:
        return _("Certificate {number} is issued; its document is being prepared.").format(number=result.number)

    def success_url_for(self, result: AccreditationCertificate) -> str:
        return certificates_url(self.object.pk)

    def cancel_url(self) -> str:
        return certificates_url(self.object.pk)


class CertificateRetryView(StaffActionView):
    form_class = ConfirmForm
    title = _("Render the certificate again")
    intro = _("The document of this certificate could not be produced. Try again once the cause is fixed.")
    submit_label = _("Try again")

    def get_object(self) -> AccreditationCertificate:
        return get_object_or_404(accreditation_certificate_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: ConfirmForm) -> AccreditationCertificate:
        return accreditation_certificate_retry(certificate=self.object, actor=current_user(self.request))

    def success_message(self, result: AccreditationCertificate) -> str | Promise:
        return _("Certificate {number} is being rendered again.").format(number=result.number)

    def success_url_for(self, result: AccreditationCertificate) -> str:
        return certificates_url(self.object.accreditation_id)

    def cancel_url(self) -> str:
        return certificates_url(self.object.accreditation_id)
