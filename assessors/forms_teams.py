"""Forms of the assessment and team pages: input shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import ApplicationScopeItem
from assessors.choices import AssessmentKind, TeamRole
from core.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput)
    sites = forms.CharField(label=_("Sites"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    scope_items = forms.ModelMultipleChoiceField(
        label=_("Scope items to cover"),
        queryset=ApplicationScopeItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, items: QuerySet[ApplicationScopeItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope_items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = items
        field.initial = list(items)


class RescheduleForm(forms.Form):
    planned_start = forms.DateField(label=_("New start"), widget=DateInput)
    planned_end = forms.DateField(label=_("New end"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('The CAB and the team read it, e.g. "dates agreed with the CAB by telephone".'),
    )


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.username})"


class TeamMemberAddForm(forms.Form):
    user = AssessorChoiceField(label=_("Assessor"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)

    def __init__(self, *args: Any, assessors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assessors


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RulingForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Ruling"),
        choices=[("1", _("Uphold: remove the member from the team")), ("0", _("Dismiss: the member stays"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
