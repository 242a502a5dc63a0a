"""Forms of the application pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import (
    BODY_INITIATED_TYPES,
    SCOPE_ACTIONS,
    ApplicationType,
    ChangeKind,
    DocumentKind,
    ScopeAction,
    checklist_for,
)
from accreditation.forms import ScopeItemForm
from accreditation.models import Application, Cab, ScopeItem
from accreditation.scope_shapes import summary
from accreditation.selectors import programme_qs
from accreditation.services.applications import CHANGE_FIELDS, pre_visit_applicable
from accreditation.uploads import max_document_bytes


class ApplicationCreateForm(forms.Form):
    cab = forms.ModelChoiceField(label=_("CAB"), queryset=Cab.objects.none(), empty_label=None)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=programme_qs(), to_field_name="code", empty_label=None
    )
    # Surveillance and special assessments are opened by the accreditation body, never by the CAB.
    type = forms.ChoiceField(
        label=_("Type of application"),
        choices=[(value, label) for value, label in ApplicationType.choices if value not in BODY_INITIATED_TYPES],
    )
    note = forms.CharField(
        label=_("Note to the secretariat"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, cabs: QuerySet[Cab], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cab"].queryset = cabs  # type: ignore[attr-defined]


def change_field_name(kind: str, name: str) -> str:
    return f"{kind}__{name}"


class ApplicationUpdateForm(forms.Form):
    """The note and, for a change notification, the changes ticked and their new values."""

    note = forms.CharField(
        label=_("Note to the secretariat"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"note": application.note})
        super().__init__(*args, **kwargs)
        self.is_change = application.type == ApplicationType.CHANGE
        if not self.is_change:
            return
        self.fields["change_kinds"] = forms.MultipleChoiceField(
            label=_("What changes"),
            choices=ChangeKind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=application.change_kinds,
        )
        for kind, fields in CHANGE_FIELDS.items():
            for index, (name, label) in enumerate(fields):
                self.fields[change_field_name(kind, name)] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}) if name in ("people", "sites") else forms.TextInput,
                    initial=application.proposed_changes.get(kind, {}).get(name, ""),
                    help_text=_("Required when this change is ticked.") if index == 0 else "",
                )

    def service_arguments(self) -> dict[str, Any]:
        data: dict[str, Any] = {"note": self.cleaned_data["note"]}
        if self.is_change:
            kinds = self.cleaned_data["change_kinds"]
            data["change_kinds"] = kinds
            data["proposed_changes"] = {
                kind: {
                    name: self.cleaned_data[change_field_name(kind, name)]
                    for name, _label in CHANGE_FIELDS[kind]
                    if self.cleaned_data[change_field_name(kind, name)]
                }
                for kind in kinds
            }
        return data


class ApplicationItemForm(ScopeItemForm):
    """A new item in the programme's scope shape, or (reduction, renewal) an item of the current scope."""

    def __init__(self, *args: Any, application: Application, current: list[ScopeItem], **kwargs: Any) -> None:
        super().__init__(*args, shape=application.programme.scope_shape, **kwargs)
        allowed = SCOPE_ACTIONS[application.type]
        self.adds = ScopeAction.ADD in allowed
        shape = application.programme.scope_shape
        if ScopeAction.ADD not in allowed:
            for name in list(self.fields):
                del self.fields[name]
        if allowed & {ScopeAction.REMOVE, ScopeAction.KEEP}:
            listed = {str(key) for key in application.items.values_list("key", flat=True) if key}
            label = (
                _("Item of the current scope to remove")
                if ScopeAction.REMOVE in allowed
                else _("Item of the current scope to keep")
            )
            self.fields = {
                "key": forms.ChoiceField(
                    label=label,
                    required=not self.adds,
                    choices=[("", "—")]
                    + [(str(i.key), summary(shape, i.attributes)) for i in current if str(i.key) not in listed],
                    help_text=_("Or leave empty and describe a new item below.") if self.adds else "",
                ),
                **self.fields,
            }
            if self.adds:
                for name, field in self.fields.items():
                    if name != "key":
                        field.required = False

    def service_arguments(self) -> dict[str, Any]:
        key = self.cleaned_data.get("key")
        if key:
            return {"key": key}
        return {"attributes": {n: v for n, v in self.cleaned_data.items() if n != "key" and v}}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, at most {limit} MB.").format(
            limit=max_document_bytes() // (1024 * 1024)
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    """The acceptance review: the completeness checklist, the outcome and its reasons."""

    OUTCOMES = (
        ("accept", _("Accept")),
        ("return", _("Return for more information")),
        ("refuse", _("Not accepted")),
    )
    checklist = forms.MultipleChoiceField(
        label=_("Completeness checklist"), required=False, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return or not accept; the CAB reads them."),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [  # type: ignore[attr-defined]
            (key, question) for key, question in checklist_for(application.type)
        ]
        if pre_visit_applicable(application):
            self.fields["pre_visit"] = forms.BooleanField(
                label=_("Plan a pre-visit (new certification-body applicant)"), required=False
            )
