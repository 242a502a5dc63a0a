"""The filters of the cycle page and API: window in days, programme, due status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accreditation.models import Programme
from assessors.choices import AssessmentKind
from surveillance.cycle import HELD_ONSITE_KINDS
from surveillance.selectors_cycle import DUE_OVERDUE, DUE_SOON

#: The longest window the page shows (two years: an on-site interval).
MAX_DAYS = 730
DUE_STATUS_CHOICES = [("", _("Overdue and due soon")), (DUE_OVERDUE, _("Overdue")), (DUE_SOON, _("Due soon"))]


class CycleFilterForm(forms.Form):
    days = forms.IntegerField(label=_("Due within (days)"), min_value=0, max_value=MAX_DAYS, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("code"), to_field_name="code", required=False
    )
    due_status = forms.ChoiceField(label=_("Due status"), choices=DUE_STATUS_CHOICES, required=False)

    def filters(self) -> dict[str, Any]:
        """The selector's arguments; bad input falls back to the defaults (the form shows the errors)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        days = data.get("days")
        return {
            "days": settings.SURVEILLANCE_LEAD_DAYS if days is None else days,
            "programme": data.get("programme"),
            "due_status": data.get("due_status") or "",
        }


class PastOnsiteForm(forms.Form):
    """An on-site assessment held before the portal; the service checks the dates against the record."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(kind.value, kind.label) for kind in AssessmentKind if kind in HELD_ONSITE_KINDS],
    )
    held_from = forms.DateField(label=_("Held from"), widget=forms.DateInput(attrs={"type": "date"}))
    held_to = forms.DateField(label=_("Held to"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(
        label=_("Report reference"),
        max_length=60,
        help_text=_("The report's number or file reference in the old records."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
