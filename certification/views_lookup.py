"""The public certificate lookup (no login): the search page and a certificate's page.

The search box takes a certificate number, a credit code or a part of the organisation's name
(``selectors_lookup.recognise``); results come twenty at a time with a "next page" link that
carries a keyset cursor, and broad terms show "more than 100" instead of an exact count. A search
that finds nothing explains why a real certificate may be missing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, View

from accreditation import selectors as accreditation_selectors
from certification import selectors_lookup
from certification.choices import CertificateStatus
from certification.models import IssuedCertificate, Standard
from core.errors import DomainError


class CertificateLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=selectors_lookup.MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=format_lazy(
            _(
                "A certificate number, a unified social credit code, or part of the organisation's name "
                "(at least {count} characters)."
            ),
            count=selectors_lookup.MIN_NAME_FRAGMENT,
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *(
                (value, label)
                for value, label in CertificateStatus.choices
                if value in selectors_lookup.PUBLIC_STATUSES
            ),
        ],
    )
    standard = forms.ModelChoiceField(
        label=_("Standard"),
        required=False,
        queryset=Standard.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("All standards"),
    )
    cb = forms.IntegerField(label=_("Certification body"), required=False, min_value=1, widget=forms.HiddenInput)
    province = forms.CharField(label=_("Province"), required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def search_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "q": data["q"],
            "status": data["status"],
            "standard": data["standard"].code if data["standard"] else "",
            "cb": data["cb"],
            "province": data["province"].strip(),
            "cursor": data["cursor"],
        }


class CertificateLookupView(View):
    """Search the certificates CBs reported. A refused text (one character, a broken credit code) says why."""

    template_name = "certification/lookup/search.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CertificateLookupForm(request.GET)
        context: dict[str, Any] = {"form": form, "page": None, "searched": False}
        if form.is_valid():
            arguments = form.search_arguments()
            try:
                page = selectors_lookup.certificate_lookup(**arguments)
            except DomainError as error:
                form.add_error("q" if error.code != "cursor_invalid" else None, str(error.message))
            else:
                context["page"] = page
                context["searched"] = bool(
                    page.recognised.kind or arguments["standard"] or arguments["cb"] or arguments["province"]
                )
                context["next_query"] = _next_query(request, page.next_cursor)
                context["is_later_page"] = bool(arguments["cursor"])
                context["cb_name"] = _cb_name(arguments["cb"])
        return render(request, self.template_name, context)


def _next_query(request: HttpRequest, cursor: str) -> str:
    if not cursor:
        return ""
    query = request.GET.copy()
    query["cursor"] = cursor
    return query.urlencode()


def _cb_name(cb: int | None) -> str:
    if cb is None:
        return ""
    found = accreditation_selectors.public_cab_qs().filter(pk=cb).values_list("name_zh", flat=True).first()
    return found or ""


class CertificateDetailView(DetailView):
    """A certificate's public page: the organisation, scope, sites, standards, the CB and the history."""

    template_name = "certification/lookup/certificate.html"
    context_object_name = "certificate"

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        return selectors_lookup.public_certificate_detail_qs()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        certificate: IssuedCertificate = self.object
        cb_accreditations = accreditation_selectors.public_accreditation_qs().filter(cab=certificate.cb)
        cb_is_public = accreditation_selectors.public_cab_qs().filter(pk=certificate.cb_id).exists()
        return super().get_context_data(
            cb_accreditations=list(cb_accreditations),
            cb_is_public=cb_is_public,
            history=sorted(
                certificate.status_changes.all(), key=lambda change: (change.effective_on, change.pk), reverse=True
            ),
            **kwargs,
        )
