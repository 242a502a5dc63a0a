"""Forms of the report and remote-assessment pages: input shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import ApplicationScopeItem
from accreditation.uploads import max_document_bytes
from assessors.choices import FindingGrade, FindingKind, Recommendation
from assessors.forms_teams import DateInput
from assessors.selectors_teams import item_label


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RemoteDetailsForm(forms.Form):
    ict_tools = forms.CharField(
        label=_("ICT used"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The video, screen-sharing and file tools agreed with the CAB."),
    )
    ict_tested_on = forms.DateField(label=_("ICT tested with the CAB on"), required=False, widget=DateInput)
    ict_security = forms.CharField(
        label=_("Confidentiality and information security"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How recordings, screen captures and shared documents are protected (IAF MD 4)."),
    )


class RemoteSessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput)
    topic = forms.CharField(
        label=_("Topic"), max_length=300, help_text=_("What was assessed: a process, a witnessed test.")
    )
    ict = forms.CharField(label=_("ICT used"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("Participants"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, organisation and role."),
    )
    site = forms.CharField(label=_("Site of the CAB"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    conclusion = forms.CharField(
        label=_("Overall conclusion"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions or reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when recommending with conditions or not recommending."),
    )


class ScopeItemChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, shape: str = "", **kwargs: Any) -> None:
        self.shape = shape
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return item_label(obj, self.shape)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices, widget=forms.RadioSelect)
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        choices=[("", _("— (observation)")), *FindingGrade.choices],
        help_text=_("A nonconformity is major or minor; an observation has no grade."),
    )
    clause = forms.CharField(
        label=_("Clause"), max_length=100, help_text=_("The clause of the standard or rule, e.g. ISO/IEC 17025 7.7.1.")
    )
    statement = forms.CharField(label=_("Finding"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Objective evidence"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    item = ScopeItemChoiceField(
        label=_("Scope item concerned"), required=False, queryset=ApplicationScopeItem.objects.none()
    )

    def __init__(self, *args: Any, items: QuerySet[ApplicationScopeItem], shape: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, ScopeItemChoiceField)
        field.queryset = items
        field.shape = shape


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, at most {limit} MB.").format(
            limit=max_document_bytes() // (1024 * 1024)
        )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
