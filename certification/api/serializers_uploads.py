"""Serializers of certificate uploads: shapes only; the service checks the rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.choices import UploadFormat, UploadStatus
from certification.models import CertificateUpload, UploadRowError
from certification.services_uploads import progress_percent


def _listed(choices: Any) -> str:
    return "One of " + ", ".join(f"`{value}`" for value in choices.values) + "."


class CertificateUploadSerializer(serializers.ModelSerializer[CertificateUpload]):
    """An upload's state and counts; ``status_url`` is where to poll while it runs."""

    # Plain strings in the schema: ``status`` and ``format`` are other enums' names elsewhere.
    status = serializers.CharField(read_only=True, help_text=_listed(UploadStatus))
    format = serializers.CharField(read_only=True, help_text=_listed(UploadFormat))
    percent = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    errors_url = serializers.SerializerMethodField()

    class Meta:
        model = CertificateUpload
        fields = [
            "id",
            "cb",
            "format",
            "original_name",
            "encoding",
            "status",
            "total_rows",
            "processed_rows",
            "applied_rows",
            "applied_through_row",
            "error_rows",
            "percent",
            "failure",
            "uploaded_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "status_url",
            "errors_url",
        ]
        read_only_fields = fields

    def get_percent(self, upload: CertificateUpload) -> int:
        return progress_percent(upload)

    @extend_schema_field(serializers.URLField())
    def get_status_url(self, upload: CertificateUpload) -> str:
        return self._url("certification_api:certificate-upload-detail", upload)

    @extend_schema_field(serializers.URLField())
    def get_errors_url(self, upload: CertificateUpload) -> str:
        return self._url("certification_api:certificate-upload-errors", upload)

    def _url(self, name: str, upload: CertificateUpload) -> str:
        path = reverse(name, args=[upload.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CertificateUploadCreateSerializer(serializers.Serializer):
    cb = serializers.IntegerField(help_text="The certification body the certificates were issued by (its CAB id).")
    file = serializers.FileField(help_text="CSV (UTF-8, GBK or GB18030) or XLSX, at most 20 MB, template columns.")


class UploadRowErrorSerializer(serializers.ModelSerializer[UploadRowError]):
    """One problem of one row: the row as numbered in the spreadsheet (header = row 1)."""

    class Meta:
        model = UploadRowError
        fields = ["row", "identity_number", "field", "value", "code", "message"]
        read_only_fields = fields
