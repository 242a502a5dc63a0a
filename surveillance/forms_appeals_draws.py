"""Forms of appeals and supervision draws; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accreditation.models import Programme
from core.models import User
from core.roles import Role
from surveillance.choices import AppealOutcome


class AppealLodgeForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the appeal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("Say which part of the decision you contest and why. The decision stays in force meanwhile."),
    )


class AppealPanelForm(forms.Form):
    panel = forms.ModelMultipleChoiceField(
        label=_("Panel members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff who took no part in the decision or its assessment."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Group.objects.filter(name__in=[Role.SECRETARIAT.value, Role.DECISION_MAKER.value])
        self.fields["panel"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(groups__in=staff, is_active=True).distinct().order_by("username")
        )


class AppealDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppealOutcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)


class ConfirmForm(forms.Form):
    """An action with nothing to fill in but a confirmation."""

    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class DrawRunForm(forms.Form):
    body_count = forms.IntegerField(label=_("Bodies to draw"), min_value=1, max_value=200, initial=5)
    random_share = forms.IntegerField(
        label=_("Share drawn purely at random (%)"),
        min_value=0,
        max_value=100,
        initial=50,
        help_text=_("The rest is drawn weighted by risk band (high 3, medium 2, low 1)."),
    )
    inspectors_per_body = forms.IntegerField(label=_("Inspectors per body"), min_value=1, max_value=10, initial=2)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("code"), required=False, empty_label=_("All")
    )


class DrawnBodyOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the inspection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
