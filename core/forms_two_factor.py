"""The second-factor code a person types in from their authenticator app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class OtpTokenField(forms.CharField):
    """Six digits; the space some apps show in the middle is ignored."""

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split())


class OtpTokenForm(forms.Form):
    otp_token = OtpTokenField(
        label=_("Code from your authenticator app"),
        max_length=9,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the 6 digits your authenticator app shows."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )
