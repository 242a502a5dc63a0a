"""The decision form: an outcome and a reason per applied item awaiting a decision, or one outcome
for a change notification, and the reasons. It checks the shape of the input; ``decision_record``
checks the rules (every item decided, a reason for each refusal or deferral) and the page shows
its refusal beside the items it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import BODY_INITIATED_TYPES, WHOLE_DECISION_TYPES, DecisionOutcome
from accreditation.models import Application, ApplicationScopeItem
from core.errors import DomainError

#: Refusals whose ``detail["items"]`` names the items at fault.
_ITEM_CODES = {
    "outcomes_missing": _("Choose grant, refuse or defer."),
    "item_reason_required": _("Give a reason for refusing or deferring this item."),
    "invalid_outcome": _("Choose grant, refuse or defer."),
}


@dataclass
class ItemFields:
    item: ApplicationScopeItem
    outcome: forms.BoundField
    reason: forms.BoundField


def outcome_field_name(item: ApplicationScopeItem) -> str:
    return f"item_{item.pk}_outcome"


def reason_field_name(item: ApplicationScopeItem) -> str:
    return f"item_{item.pk}_reason"


class DecisionForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required. The CAB reads them with the decision."),
    )

    def __init__(self, *args: Any, application: Application, pending: list[ApplicationScopeItem], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.is_change = application.type in WHOLE_DECISION_TYPES
        if application.type in BODY_INITIATED_TYPES:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Decision after the assessment"),
                choices=[
                    (DecisionOutcome.GRANT, _("Accreditation maintained")),
                    (DecisionOutcome.REFUSE, _("Not maintained: the secretariat decides a sanction")),
                ],
                widget=forms.RadioSelect,
            )
            return
        if self.is_change:
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Decision on the change notification"),
                choices=[(DecisionOutcome.GRANT, _("Approve the changes")), (DecisionOutcome.REFUSE, _("Refuse"))],
                widget=forms.RadioSelect,
            )
            return
        for item in pending:
            self.fields[outcome_field_name(item)] = forms.ChoiceField(
                label=str(item), choices=DecisionOutcome.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[reason_field_name(item)] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=4000,
                widget=forms.TextInput(attrs={"placeholder": _("Reason (required to refuse or defer)")}),
            )

    def item_fields(self) -> list[ItemFields]:
        return [
            ItemFields(item, self[outcome_field_name(item)], self[reason_field_name(item)]) for item in self.pending
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.is_change:
            return {"reasons": data["reasons"], "outcome": data["outcome"]}
        items = {
            item.pk: (data[outcome_field_name(item)], data[reason_field_name(item)])
            for item in self.pending
            if data.get(outcome_field_name(item))
        }
        return {"reasons": data["reasons"], "items": items}

    def add_item_errors(self, error: DomainError) -> None:
        """Put a refusal that names items beside those items' fields."""
        message = _ITEM_CODES.get(error.code)
        if message is None or not isinstance(error.detail, dict):
            if error.code == "reasons_required":
                self.add_error("reasons", str(error.message))
            return
        for item in self.pending:
            if item.pk in error.detail.get("items", []):
                name = reason_field_name(item) if error.code == "item_reason_required" else outcome_field_name(item)
                self.add_error(name, str(message))
