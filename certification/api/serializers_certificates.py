"""Serializers of the accreditation certificates' API: staff reads, the two moves, and the public check."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accreditation.api.serializers import REASON_MAX_LENGTH, VisibleRelatedField
from accreditation.choices import AccreditationStatus
from accreditation.models import Accreditation
from certification.choices import AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from certification.selectors_certificates import Standing, Verification, certified_accreditation_qs_for, has_pdf


@extend_schema_field(
    {
        "type": "string",
        "description": "One of: {values}.".format(values=", ".join(AccreditationCertificateStatus.values)),
        "example": AccreditationCertificateStatus.READY.value,
    }
)
class AccreditationCertificateStatusField(serializers.ChoiceField):
    """The certificate's status. Described as a plain string in the schema: drf-spectacular would
    otherwise make it one more ``status`` enum that collides with the registry's."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AccreditationCertificateStatus.choices, **kwargs)


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _pdf_url(certificate: AccreditationCertificate, request: Any) -> str | None:
    if not has_pdf(certificate):
        return None
    return _absolute(request, reverse("certification:download", kwargs={"number": certificate.number}))


def _verification_url(certificate: AccreditationCertificate, request: Any) -> str:
    return _absolute(request, reverse("certification:verify", kwargs={"number": certificate.number}))


class AccreditationCertificateSerializer(serializers.ModelSerializer[AccreditationCertificate]):
    accreditation_number = serializers.CharField(source="accreditation.number", read_only=True)
    cab = serializers.IntegerField(source="accreditation.cab_id", read_only=True)
    cab_name = serializers.CharField(source="accreditation.cab.name", read_only=True)
    status = AccreditationCertificateStatusField(read_only=True)
    reason = serializers.ChoiceField(choices=IssueReason.choices, read_only=True)
    scope_issue_number = serializers.IntegerField(
        source="scope_version.issue_number", read_only=True, allow_null=True, default=None
    )
    superseded_by: serializers.SlugRelatedField[AccreditationCertificate] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    payload = serializers.DictField(read_only=True, help_text="The signed data, as issued.")
    pdf_url = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()

    class Meta:
        model = AccreditationCertificate
        fields = [
            "id",
            "number",
            "sequence",
            "accreditation",
            "accreditation_number",
            "cab",
            "cab_name",
            "reason",
            "decision",
            "scope_version",
            "scope_issue_number",
            "issued_on",
            "valid_until",
            "status",
            "failure",
            "rendered_at",
            "content_hash",
            "payload",
            "signature",
            "key_id",
            "superseded_by",
            "pdf_url",
            "verification_url",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="`null` until the PDF is rendered."))
    def get_pdf_url(self, certificate: AccreditationCertificate) -> str | None:
        return _pdf_url(certificate, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate: AccreditationCertificate) -> str:
        return _verification_url(certificate, self.context.get("request"))


class AccreditationCertificateReissueSerializer(serializers.Serializer[Any]):
    accreditation = VisibleRelatedField(
        selector=lambda user, action: certified_accreditation_qs_for(user),
        model=Accreditation,
        help_text="Id of the accreditation whose certificate is reissued.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH, help_text="Kept in the audit trail."
    )


class PublicAccreditationCertificateCabSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    credit_code = serializers.CharField()
    directory_url = serializers.URLField()


class PublicAccreditationCertificateSerializer(serializers.Serializer[Verification]):
    """What the public verification says about one certificate, from a ``Verification``."""

    number = serializers.CharField(source="certificate.number")
    status = AccreditationCertificateStatusField(source="certificate.status")
    standing = serializers.ChoiceField(
        choices=list(Standing.LABELS),
        help_text="valid; superseded (see `current_certificate`); expired; accreditation_not_in_force; pending.",
    )
    standing_label = serializers.CharField()
    signature_valid = serializers.BooleanField(help_text="The stored signature checked with the published key.")
    payload = serializers.DictField(source="certificate.payload", help_text="The signed data (canonical JSON).")
    signature = serializers.CharField(source="certificate.signature", help_text="Ed25519 signature, base64.")
    key_id = serializers.CharField(source="certificate.key_id", help_text="The key that signed it.")
    published_key_id = serializers.CharField(source="key_id", help_text="The key the portal publishes now.")
    issued_on = serializers.DateField(source="certificate.issued_on")
    valid_until = serializers.DateField(source="certificate.valid_until")
    reason = serializers.ChoiceField(choices=IssueReason.choices, source="certificate.reason")
    accreditation_number = serializers.CharField(source="certificate.accreditation.number")
    accreditation_status = serializers.ChoiceField(choices=AccreditationStatus.choices)
    programme = serializers.CharField(source="certificate.accreditation.programme.code")
    cab = serializers.SerializerMethodField()
    current_certificate = serializers.SerializerMethodField(
        help_text="The number in force, when this one is superseded."
    )
    content_hash = serializers.CharField(source="certificate.content_hash", help_text="SHA-256 of the PDF.")
    pdf_url = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()

    @extend_schema_field(PublicAccreditationCertificateCabSerializer)
    def get_cab(self, verification: Verification) -> dict[str, Any]:
        cab = verification.certificate.accreditation.cab
        path = reverse("accreditation:directory_cab", kwargs={"pk": cab.pk})
        return {
            "id": cab.pk,
            "name_zh": cab.name_zh,
            "name_en": cab.name_en,
            "credit_code": cab.credit_code,
            "directory_url": _absolute(self.context.get("request"), path),
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_current_certificate(self, verification: Verification) -> str | None:
        return verification.current.number if verification.current else None

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="`null` until the PDF is rendered."))
    def get_pdf_url(self, verification: Verification) -> str | None:
        return _pdf_url(verification.certificate, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, verification: Verification) -> str:
        return _verification_url(verification.certificate, self.context.get("request"))


class AccreditationCertificateKeySerializer(serializers.Serializer[Any]):
    key_id = serializers.CharField(help_text="First 16 hex digits of the SHA-256 of the raw public key.")
    algorithm = serializers.CharField()
    public_key_pem = serializers.CharField()
