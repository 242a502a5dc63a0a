"""The web form for one certificate: the upload format's fields, checked by ``rows.validate_rows``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.choices import CertificateStatus, CertificationType
from certification.models import IssuedCertificate
from certification.rows import FIELDS, MAX_LENGTHS, REQUIRED, RowError

_DATE = forms.DateInput(attrs={"type": "date"})
_LABELS = {
    "certification_identity_number": _("Certification identity number"),
    "certificate_number": _("Certificate number"),
    "certification_status": _("Status"),
    "certification_type": _("Certification type"),
    "standards": _("Standards"),
    "technical_sectors": _("IAF/EA technical sectors"),
    "certification_scope": _("Certification scope"),
    "original_issue_date": _("Original issue date"),
    "issue_date": _("Issue date"),
    "expiry_date": _("Expiry date"),
    "certified_entity_unique_id": _("Your client id"),
    "certified_entity_name": _("Certified entity (legal name)"),
    "certified_entity_english_name": _("English name"),
    "certified_entity_trading_name": _("Trading name"),
    "certified_entity_credit_code": _("Unified social credit code"),
    "street": _("Street"),
    "city": _("City"),
    "province": _("Province"),
    "postcode": _("Postcode"),
    "country": _("Country"),
}
_HELP = {
    "standards": _("Separate several with “;”, e.g. ISO 9001:2015; ISO 14001:2015."),
    "technical_sectors": _("Required for management systems, e.g. IAF 28; IAF 34."),
    "country": _("ISO 3166 code, e.g. CN."),
    "certified_entity_credit_code": _("Required for entities in China."),
}


class CertificateForm(forms.Form):
    """Every field is text here: the rules are the upload's, applied by the service."""

    sites = forms.CharField(
        label=_("Further sites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One site a line: address|scope at this site."),
    )

    def __init__(self, *args: Any, certificate: IssuedCertificate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for name in FIELDS:
            field: forms.Field
            if name == "certification_status":
                field = forms.ChoiceField(choices=CertificateStatus.choices)
            elif name == "certification_type":
                field = forms.ChoiceField(choices=CertificationType.choices)
            elif name in ("original_issue_date", "issue_date", "expiry_date"):
                field = forms.CharField(widget=_DATE)
            elif name == "certification_scope":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
            else:
                field = forms.CharField(max_length=MAX_LENGTHS.get(name))
            field.label = _LABELS[name]
            field.required = name in REQUIRED
            field.help_text = _HELP.get(name, "")
            fields[name] = field
        fields["sites"] = self.fields["sites"]
        self.fields = fields
        if certificate is not None:
            self.fields["certification_identity_number"].disabled = True
            self.initial = {**initial_for(certificate), **self.initial}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in [*FIELDS, "sites"]}

    def show_row_errors(self, errors: list[RowError]) -> None:
        for error in errors:
            self.add_error(
                error.field if error.field in self.fields else "sites" if error.field == "" else None, error.message
            )


def initial_for(certificate: IssuedCertificate) -> dict[str, Any]:
    entity = certificate.entity
    return {
        "certification_identity_number": certificate.identity_number,
        "certificate_number": certificate.certificate_number,
        "certification_status": certificate.status,
        "certification_type": certificate.certification_type,
        "standards": "; ".join(certificate.standards),
        "technical_sectors": "; ".join(certificate.sectors),
        "certification_scope": certificate.scope,
        "original_issue_date": certificate.original_issue_date.isoformat() if certificate.original_issue_date else "",
        "issue_date": certificate.issue_date.isoformat(),
        "expiry_date": certificate.expiry_date.isoformat(),
        "certified_entity_unique_id": entity.unique_id,
        "certified_entity_name": entity.name,
        "certified_entity_english_name": entity.english_name,
        "certified_entity_trading_name": entity.trading_name,
        "certified_entity_credit_code": entity.credit_code,
        "street": entity.street,
        "city": entity.city,
        "province": entity.province,
        "postcode": entity.postcode,
        "country": entity.country,
        "sites": "\n".join(f"{site.address}|{site.scope}" for site in certificate.sites.all()),
    }
