"""The certificate upload form: which CB (asked only of someone who may upload for several) and the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab
from certification.upload_files import MAX_UPLOAD_BYTES


class CertificateUploadForm(forms.Form):
    cb = forms.ModelChoiceField(queryset=Cab.objects.none(), label=_("Certification body"), empty_label=None)
    file = forms.FileField(label=_("Spreadsheet"))

    def __init__(self, *args: Any, cbs: QuerySet[Cab], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cb_field = self.fields["cb"]
        assert isinstance(cb_field, forms.ModelChoiceField)
        cb_field.queryset = cbs
        if len(cbs) == 1:
            cb_field.initial = cbs[0].pk
            cb_field.widget = forms.HiddenInput()
        self.fields["file"].help_text = _(
            "CSV (UTF-8, GBK or GB18030) or Excel workbook (.xlsx), at most {limit} MB, with the template's columns."
        ).format(limit=MAX_UPLOAD_BYTES // (1024 * 1024))
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
