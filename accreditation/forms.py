"""Forms of the register's pages.

They check the shape of the input (types, lengths, choices); the services check the rules and
refuse with a ``DomainError``, which ``add_domain_error`` puts on the form for the page to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accreditation.choices import (
    ACCREDITATION_TRANSITIONS,
    PUBLIC_ACCREDITATION_STATUSES,
    AccreditationStatus,
    Province,
    ScopeItemStatus,
)
from accreditation.models import Cab, CabContact, CabSite, ScopeItem, ScopeVersion
from accreditation.scope_shapes import MAX_TEXT_LENGTH, fields_of, summary
from accreditation.selectors import MIN_NAME_FRAGMENT, programme_qs
from accreditation.services.cabs import CAB_FIELDS, CONTACT_FIELDS, SITE_FIELDS
from core.errors import DomainError

#: Errors whose ``detail`` maps form fields to messages (other codes carry values in ``detail``).
_FIELD_DETAIL_CODES = frozenset({"invalid", "invalid_credit_code", "invalid_scope_item", "weak_password"})

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason_field(*, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
    )


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refused move on the form: its message on top, field problems beside their fields."""
    message = str(error.message)
    form.add_error(None, message)
    if error.code not in _FIELD_DETAIL_CODES or not isinstance(error.detail, dict):
        return
    for name, problems in error.detail.items():
        if name not in form.fields:
            continue
        texts = [str(p) for p in (problems if isinstance(problems, list | tuple) else [problems]) if p]
        if texts and " ".join(texts) != message:
            form.add_error(name, texts)


def _formfield(field: Any, **kwargs: Any) -> Any:
    # A website typed without a scheme is taken as https (Django 6's default, asked for now).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class _ModelFieldsForm(forms.Form):
    """A plain form whose fields are a model's, without the model's validation (the service does it)."""

    model: type[Any]
    model_fields: list[str]
    with_reason = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(fields_for_model(self.model, fields=self.model_fields, formfield_callback=_formfield))
        if self.with_reason:
            fields["reason"] = _reason_field()
        self.fields = fields

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.model_fields}


class CabForm(_ModelFieldsForm):
    """The register fields of a CAB; the service checks the credit code and that it is not taken."""

    model = Cab
    model_fields = CAB_FIELDS
    with_reason = True


class SiteForm(_ModelFieldsForm):
    model = CabSite
    model_fields = SITE_FIELDS


class ContactForm(_ModelFieldsForm):
    model = CabContact
    model_fields = CONTACT_FIELDS


class AccreditationOpenForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=programme_qs())
    reason = _reason_field()


class AccreditationGrantForm(forms.Form):
    granted_on = forms.DateField(
        label=_("Granted on"), required=False, widget=_DATE, help_text=_("Leave empty for today.")
    )
    number = forms.CharField(
        label=_("Accreditation number"),
        required=False,
        max_length=40,
        help_text=_(
            "Only for a body accredited before the portal existed; leave empty to give the programme's next number."
        ),
    )
    reason = _reason_field()


#: What the secretariat calls each move, by the status it leads to (``MOVES_BY_TARGET``).
STATUS_MOVE_LABELS = {
    AccreditationStatus.SUSPENDED: _("Suspend"),
    AccreditationStatus.ACCREDITED: _("Reinstate"),
    AccreditationStatus.WITHDRAWN: _("Withdraw"),
    AccreditationStatus.CANCELLED: _("Cancel"),
    AccreditationStatus.EXPIRED: _("Expire"),
}


class _OfferedSelect(forms.Select):
    """A select that greys out the options the status table does not offer from the current status.

    Only a hint: a greyed option can still be posted, and the service then refuses it.
    """

    offered: frozenset[str] | None = None

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if self.offered is not None and option["value"] and str(option["value"]) not in self.offered:
            option["attrs"]["disabled"] = True
        return option


class AccreditationStatusForm(forms.Form):
    target = forms.ChoiceField(label=_("Change"), choices=list(STATUS_MOVE_LABELS.items()), widget=_OfferedSelect)
    reason = _reason_field(required=True)

    def __init__(self, *args: Any, current_status: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_status is not None:
            widget = self.fields["target"].widget
            assert isinstance(widget, _OfferedSelect)
            widget.offered = frozenset(str(s) for s in ACCREDITATION_TRANSITIONS.get(current_status, set()))


class PartialSuspensionForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Scope items to suspend"), widget=forms.CheckboxSelectMultiple)
    reason = _reason_field(required=True)

    def __init__(self, *args: Any, items: Iterable[ScopeItem] = (), shape: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items_field = self.fields["items"]
        assert isinstance(items_field, forms.MultipleChoiceField)
        items_field.choices = [
            (str(item.key), summary(shape, item.attributes)) for item in items if item.status == ScopeItemStatus.ACTIVE
        ]


class DraftStartForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this new issue is drafted, e.g. an extension of scope."),
    )  # fmt: skip


class ScopePublishForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Issue date"), required=False, widget=_DATE, help_text=_("Leave empty for today.")
    )
    reason = _reason_field()


class ConfirmForm(forms.Form):
    """A form with nothing to fill in: the POST itself is the confirmation."""


class ReasonForm(forms.Form):
    reason = _reason_field()


class ScopeItemForm(forms.Form):
    """The fields of one scope item, as the programme's scope shape defines them."""

    def __init__(self, *args: Any, shape: str, item: ScopeItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for shape_field in fields_of(shape):
            help_text = shape_field.help_text
            if shape_field.many:
                help_text = _("Separate several with “;”. {help}").format(help=help_text).strip()
            initial = item.attributes.get(shape_field.name) if item else None
            if isinstance(initial, list):
                initial = "; ".join(initial)
            self.fields[shape_field.name] = forms.CharField(
                label=str(shape_field.label),
                required=shape_field.required,
                max_length=MAX_TEXT_LENGTH,
                help_text=str(help_text),
                initial=initial,
            )

    def attributes(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}


class ScopeItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ScopeItemStatus.choices)
    reason = _reason_field()


class _VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.issue_number is None:
            return str(_("Draft"))
        return str(_("Issue {issue} ({status})").format(issue=obj.issue_number, status=obj.get_status_display()))


class ScopeDiffForm(forms.Form):
    """Pick two versions of one accreditation's scope to compare (the GET parameters ``from`` and ``to``)."""

    def __init__(self, *args: Any, versions: QuerySet[ScopeVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _VersionChoiceField(label=_("From"), queryset=versions)
        self.fields["to"] = _VersionChoiceField(label=_("To"), queryset=versions)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        # format_lazy: a form field is built once, at import; the text must follow each request's language.
        help_text=format_lazy(
            _("Part of the name (at least {count} characters), an accreditation number or a credit code."),
            count=MIN_NAME_FRAGMENT,
        ),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=programme_qs(),
        to_field_name="code",
        empty_label=_("All programmes"),
    )
    province = forms.ChoiceField(
        label=_("Province"), required=False, choices=[("", _("All provinces")), *Province.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *((value, label) for value, label in AccreditationStatus.choices if value in PUBLIC_ACCREDITATION_STATUSES),
        ],
    )

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if 0 < len(q) < MIN_NAME_FRAGMENT:
            raise forms.ValidationError(
                _("Enter at least {count} characters: one character matches too many bodies.").format(
                    count=MIN_NAME_FRAGMENT
                ),
                code="too_short",
            )
        return q

    def search_arguments(self) -> dict[str, str]:
        programme = self.cleaned_data["programme"]
        return {
            "q": self.cleaned_data["q"],
            "programme": programme.code if programme else "",
            "province": self.cleaned_data["province"],
            "status": self.cleaned_data["status"],
        }


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    is_admin = forms.BooleanField(
        label=_("CAB admin"),
        required=False,
        help_text=_("An admin may invite and remove colleagues and edit contacts."),
    )


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only; you sign in with it."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
