"""Serializers of the registry API: certificates as the body reported them, and the batch report."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from certification.models import CertificateSite, CertificateStatusChange, CertifiedEntity, IssuedCertificate
from certification.rows import FIELDS


class RegistryEntitySerializer(serializers.ModelSerializer[CertifiedEntity]):
    class Meta:
        model = CertifiedEntity
        fields = [
            "id",
            "unique_id",
            "name",
            "english_name",
            "trading_name",
            "credit_code",
            "street",
            "city",
            "province",
            "postcode",
            "country",
        ]
        read_only_fields = fields


class RegistrySiteSerializer(serializers.ModelSerializer[CertificateSite]):
    class Meta:
        model = CertificateSite
        fields = ["address", "scope"]
        read_only_fields = fields


class RegistryStatusChangeSerializer(serializers.ModelSerializer[CertificateStatusChange]):
    class Meta:
        model = CertificateStatusChange
        fields = ["status", "effective_on", "recorded_at"]
        read_only_fields = fields


class RegistryCertificateSerializer(serializers.ModelSerializer[IssuedCertificate]):
    entity = RegistryEntitySerializer(read_only=True)
    sites = RegistrySiteSerializer(many=True, read_only=True)
    status_history = RegistryStatusChangeSerializer(source="status_changes", many=True, read_only=True)
    standards = serializers.ListField(child=serializers.CharField(), read_only=True)
    sectors = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = IssuedCertificate
        fields = [
            "id",
            "cb",
            "identity_number",
            "certificate_number",
            "entity",
            "certification_type",
            "standards",
            "sectors",
            "scope",
            "status",
            "original_issue_date",
            "issue_date",
            "expiry_date",
            "is_accredited",
            "not_accredited_reason",
            "not_accredited_detail",
            "accreditation",
            "sites",
            "status_history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RegistryBatchSerializer(serializers.Serializer[Any]):
    cb = serializers.IntegerField(help_text="The certification body whose certificates these are.")
    certificates = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        help_text=(
            "Up to 1,000 certificates, each an object with the upload format's fields ("
            + ", ".join(FIELDS)
            + ") and optionally `sites`: an array of {address, scope}. Values are text; "
            "dates YYYY-MM-DD. A certificate whose identity number the body reported before is updated."
        ),
    )


class RegistryRowErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    value = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class RegistryRowResultSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="1-based position in `certificates`.")
    identity_number = serializers.CharField()
    applied = serializers.BooleanField()
    errors = RegistryRowErrorSerializer(many=True)  # type: ignore[assignment]


class RegistryBatchResultSerializer(serializers.Serializer[Any]):
    upload = serializers.IntegerField(help_text="The upload record of this batch.")
    applied = serializers.IntegerField()
    refused = serializers.IntegerField()
    rows = RegistryRowResultSerializer(many=True)
