"""The form of a special assessment opened from a complaint under investigation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation
from assessors.choices import AssessmentKind


class SpecialAssessmentForm(forms.Form):
    accreditation = forms.ModelChoiceField(label=_("Accreditation to assess"), queryset=Accreditation.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of assessment"), choices=AssessmentKind.choices, initial=AssessmentKind.ON_SITE
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("What the assessment looks into"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, accreditations: QuerySet[Accreditation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["accreditation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accreditations
        if accreditations.count() == 1:
            field.initial = accreditations.first()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        start: dt.date = data["planned_start"]
        return {
            "accreditation": data["accreditation"],
            "kind": data["kind"],
            "planned_start": start,
            "planned_end": data["planned_end"],
            "note": data["note"],
        }
