"""Forms of the assessors' pages: shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.choices import Province
from accreditation.models import Cab, Programme
from accreditation.selectors import pinyin_order
from assessors.choices import ConflictKind, QualificationRole
from assessors.models import CompetenceCode
from assessors.selectors import competence_code_qs
from core.models import User
from core.roles import Role

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Province.choices], required=False)
    languages = forms.CharField(
        label=_("Languages"), max_length=200, required=False, help_text=_("Working languages, e.g. 中文, English")
    )
    employer = forms.CharField(label=_("Employer"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    cv = forms.CharField(label=_("Short CV"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ProfileCreateForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(groups__name=Role.ASSESSOR.value, assessor_profile__isnull=True).order_by(
            "username"
        )


class QualificationRequestForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("code"), to_field_name="code"
    )
    role = forms.ChoiceField(label=_("Role"), choices=QualificationRole.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=_DATE, required=False)


class _CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CompetenceCode) -> str:
        return f"{obj.programme.code} · {obj.code} {obj.name}"


class CompetenceRequestForm(forms.Form):
    code = _CodeChoiceField(label=_("Competence code"), queryset=CompetenceCode.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = competence_code_qs()


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Course"), max_length=300)
    provider = forms.CharField(label=_("Provider"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=_DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1)


def _cabs() -> QuerySet[Cab]:
    return Cab.objects.order_by(pinyin_order("name_zh"), "pk")


class ConflictForm(forms.Form):
    cab = forms.ModelChoiceField(label=_("CAB"), queryset=Cab.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ConflictKind.choices)
    started_on = forms.DateField(label=_("Since"), widget=_DATE)
    ended_on = forms.DateField(label=_("Until"), widget=_DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cab"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _cabs()


class ConflictEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=_DATE)


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=_DATE)
    end = forms.DateField(label=_("To"), widget=_DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class DecisionForm(forms.Form):
    """The secretariat's decision: the statuses the record may move to, and a reason."""

    status = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject, suspend or withdraw. Kept in the audit trail."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ConfirmForm(forms.Form):
    """A button that asks nothing more."""
