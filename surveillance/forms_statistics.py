"""The statistics dashboard's filters: a year (this year by default) and, optionally, a programme."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Programme
from surveillance.selectors_statistics import FIRST_YEAR, StatisticsFilters


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices, required=False, empty_value=None)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All programmes"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def filters(self) -> StatisticsFilters:
        """The filters chosen, or the defaults when the form is unbound or invalid."""
        if not self.is_bound or not self.is_valid():
            return StatisticsFilters.default()
        year = self.cleaned_data["year"] or timezone.localdate().year
        return StatisticsFilters(year=year, programme=self.cleaned_data["programme"])
