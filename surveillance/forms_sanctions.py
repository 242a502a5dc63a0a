"""Forms of the sanction, withdrawal-proposal, dishonesty-list and false-claim pages (the services validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation, Cab, ScopeItem
from surveillance.choices import SanctionKind
from surveillance.models import Complaint, SanctionReason
from surveillance.selectors_sanctions import active_reasons, current_items
from surveillance.services_sanctions import reason_label

DATE = forms.DateInput(attrs={"type": "date"})


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SanctionReason) -> str:
        return reason_label(obj)


class ScopeItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ScopeItem) -> str:
        return f"{obj} ({obj.get_status_display()})"


class SanctionDecideForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SanctionKind.choices)
    reason = ReasonChoiceField(
        label=_("Reason"),
        queryset=SanctionReason.objects.none(),
        required=False,
        help_text=_("Required except for the body's own requests (voluntary suspension, cancellation)."),
    )
    details = forms.CharField(label=_("Facts and details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    scope_items = ScopeItemChoiceField(
        label=_("Scope items concerned"),
        queryset=ScopeItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a partial suspension or a scope reduction."),
    )
    effective_on = forms.DateField(
        label=_("Effective on"), required=False, widget=DATE, help_text=_("Today when left empty.")
    )
    complaint = forms.CharField(label=_("Complaint that led to it (tracking number)"), required=False, max_length=40)

    def __init__(self, *args: Any, accreditation: Accreditation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = active_reasons()  # type: ignore[attr-defined]
        self.fields["scope_items"].queryset = current_items(accreditation)  # type: ignore[attr-defined]

    def clean_complaint(self) -> Complaint | None:
        number = "".join(self.cleaned_data.get("complaint", "").split()).upper()
        if not number:
            return None
        complaint = Complaint.objects.filter(tracking_number=number).first()
        if complaint is None:
            raise forms.ValidationError(_("No complaint has this tracking number."))
        return complaint


class LiftForm(forms.Form):
    verification = forms.CharField(
        label=_("How the rectification was verified"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ProposalWithdrawForm(forms.Form):
    reason = ReasonChoiceField(label=_("Reason"), queryset=SanctionReason.objects.none())
    details = forms.CharField(label=_("Facts and details"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = active_reasons()  # type: ignore[attr-defined]
        rectification = active_reasons().filter(code="rectification_overdue").first()
        if rectification is not None:
            self.fields["reason"].initial = rectification.pk


class ProposalDismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the accreditation is not withdrawn"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CabField(forms.CharField):
    """A body named by its credit code or one of its accreditation numbers (the register has too many for a list)."""

    def clean(self, value: Any) -> Cab:
        text = " ".join(str(super().clean(value) or "").split())
        cab = (
            Cab.objects.filter(Q(credit_code=text.upper()) | Q(accreditations__number__iexact=text)).distinct().first()
        )
        if cab is None:
            raise forms.ValidationError(_("No body in the register has this credit code or accreditation number."))
        return cab


class DishonestyEntryForm(forms.Form):
    cab = CabField(label=_("Body (credit code or accreditation number)"), max_length=40)
    reason = forms.CharField(label=_("Reason (published)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    listed_on = forms.DateField(
        label=_("Listed on"), required=False, widget=DATE, help_text=_("Today when left empty.")
    )


class CreditRepairForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the conditions for credit repair are met (published)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    removed_on = forms.DateField(
        label=_("Removed on"), required=False, widget=DATE, help_text=_("Today when left empty.")
    )


class FalseClaimStatementForm(forms.Form):
    cab = CabField(label=_("Body (credit code or accreditation number)"), max_length=40)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    body_zh = forms.CharField(label=_("Statement (Chinese)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    body_en = forms.CharField(label=_("Statement (English)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
