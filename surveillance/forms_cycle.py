"""The filters of the cycle page and API: window in days, programme, due status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accreditation.models import Programme
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
