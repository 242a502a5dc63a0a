"""Forms of the complaint pages: the shape of the input; the rules are ``services_complaints``'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab
from assessors.forms_findings import MultipleFileField
from surveillance.choices import ComplaintKind, ComplaintOutcome
from surveillance.services_complaints import MAX_ATTACHMENTS

#: The longest description accepted: a long letter fits; a pasted book does not.
MAX_DESCRIPTION = 10_000
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintForm(forms.Form):
    """What every channel asks: what the complaint is about, what happened, and who is complaining."""

    kind = forms.ChoiceField(label=_("The complaint is about"), choices=ComplaintKind.choices)
    # The CAB picked elsewhere (the certificate page's certification body): kept only while the
    # name below is still that body's name.
    cab = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    cab_name_given = forms.CharField(
        label=_("Body complained about"),
        required=False,
        max_length=300,
        help_text=_(
            "The name of the conformity assessment body, or its accreditation number, as you know it. "
            "Not needed for a complaint against the accreditation body."
        ),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        required=False,
        max_length=100,
        help_text=_("For a suspected fake certificate: the number printed on it."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say what happened, when and where, and who was involved."),
    )
    complainant_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    complainant_organisation = forms.CharField(label=_("Your organisation"), required=False, max_length=300)
    complainant_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    complainant_phone = forms.CharField(label=_("Telephone"), required=False, max_length=40)
    attachments = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=format_lazy(_("Up to {count} files: PDF, Word, Excel, JPEG or PNG."), count=MAX_ATTACHMENTS),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cab_choice: Cab | None = None

    def clean_attachments(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("At most {count} files may be attached to a complaint.").format(count=MAX_ATTACHMENTS)
            )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cab_id, name = data.get("cab"), (data.get("cab_name_given") or "").strip()
        if cab_id:
            cab = Cab.objects.filter(pk=cab_id).first()
            # The visitor may have replaced the prefilled name: then the typed name is what counts.
            if cab is not None and name in {cab.name_zh, cab.name_en, ""}:
                self.cab_choice = cab
                data["cab_name_given"] = name or cab.name_zh
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "subject": data["subject"],
            "description": data["description"],
            "cab": self.cab_choice,
            "cab_name_given": data["cab_name_given"],
            "certificate_number": data["certificate_number"],
            "complainant_name": data["complainant_name"],
            "complainant_organisation": data["complainant_organisation"],
            "complainant_email": data["complainant_email"],
            "complainant_phone": data["complainant_phone"],
            "attachments": data["attachments"],
        }


class PublicComplaintForm(ComplaintForm):
    """The public form, with a honeypot: a field people do not see and bots fill in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complainant_email"].help_text = _(
            "An e-mail address or a telephone number is required, so that we can acknowledge the "
            "complaint and tell you its outcome. We do not publish them."
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class StaffComplaintForm(ComplaintForm):
    """A complaint the secretariat received by letter or telephone and records on the complainant's behalf."""

    received_on = forms.DateField(
        label=_("Received on"),
        widget=_DATE,
        help_text=_("The day the letter or call came in: the deadlines run from it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.order_fields(["received_on"])

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "received_on": self.cleaned_data["received_on"]}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail; the complainant does not see it."),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ComplaintOutcome.choices)
    outcome_summary = forms.CharField(
        label=_("Outcome summary"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sent to the complainant and shown on the public status page: write it for them, without personal data."
        ),
    )
