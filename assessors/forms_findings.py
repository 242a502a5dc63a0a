"""Forms of the corrective-action pages: input shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessors.selectors_findings import QueueFilter


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service like an application document."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _text(label: Any, *, required: bool = True, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=8000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CorrectiveActionForm(forms.Form):
    correction = _text(_("Correction"), help_text=_("What was done to fix this case."))
    root_cause = _text(_("Root cause"))
    action = _text(_("Corrective action"), help_text=_("What was done so that it does not happen again."))
    evidence = _text(_("Evidence"), required=False, rows=3, help_text=_("Records that show it was done."))
    evidence_files = MultipleFileField(
        label=_("Files of evidence"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG; up to 10 files."),
    )


class CorrectiveActionReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("Accept: the nonconformity is closed")), ("0", _("Reject: the CAB answers again"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        help_text=_("Required when you reject the answer; the CAB reads it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseAfterDeadlineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class QueueFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (QueueFilter.ALL, _("Every case waiting for corrective actions")),
            (QueueFilter.OVERDUE, _("With an overdue nonconformity")),
            (QueueFilter.WAITING, _("With answers waiting for review")),
        ],
    )
