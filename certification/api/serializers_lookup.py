"""Shapes of the public certificate lookup API: published facts only, never drafts or uploads."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from certification.choices import CertificateStatus
from certification.models import CertificateSite, CertificateStatusChange, CertifiedEntity, IssuedCertificate
from certification.selectors_lookup import MAX_QUERY_LENGTH


class PublicIssuedCertificateQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_QUERY_LENGTH,
        help_text=(
            "A certificate number (exact, any case), an 18-character unified social credit code (exact), "
            "or at least 2 characters of the organisation's Chinese or English name."
        ),
    )
    status = serializers.ChoiceField(
        choices=CertificateStatus.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Drafts are never shown, whatever this says.",
    )
    standard = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60, help_text="A standard code, e.g. ISO 9001:2015."
    )
    cb = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, help_text="The CB's id.")
    province = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=40,
        help_text="Where the page starts: copy it from the previous answer's `next`.",
    )


class PublicCertifiedEntitySerializer(serializers.ModelSerializer[CertifiedEntity]):
    class Meta:
        model = CertifiedEntity
        fields = ["name", "english_name", "credit_code", "province", "city", "country"]
        read_only_fields = fields


class PublicIssuedCertificateSerializer(serializers.ModelSerializer[IssuedCertificate]):
    entity = PublicCertifiedEntitySerializer(read_only=True)
    cb = serializers.IntegerField(source="cb_id", read_only=True, help_text="The CB's id in the public directory.")
    cb_name = serializers.CharField(source="cb.name_zh", read_only=True)
    standards = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = IssuedCertificate
        fields = [
            "id",
            "certificate_number",
            "status",
            "is_accredited",
            "certification_type",
            "standards",
            "issue_date",
            "expiry_date",
            "entity",
            "cb",
            "cb_name",
        ]
        read_only_fields = fields


class PublicCertificateSiteSerializer(serializers.ModelSerializer[CertificateSite]):
    class Meta:
        model = CertificateSite
        fields = ["address", "scope"]
        read_only_fields = fields


class PublicCertificateStatusChangeSerializer(serializers.ModelSerializer[CertificateStatusChange]):
    class Meta:
        model = CertificateStatusChange
        fields = ["status", "effective_on"]
        read_only_fields = fields


class PublicIssuedCertificateDetailSerializer(PublicIssuedCertificateSerializer):
    sectors = serializers.ListField(child=serializers.CharField(), read_only=True)
    sites = PublicCertificateSiteSerializer(many=True, read_only=True)
    history = PublicCertificateStatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(PublicIssuedCertificateSerializer.Meta):
        fields = [
            *PublicIssuedCertificateSerializer.Meta.fields,
            "sectors",
            "scope",
            "original_issue_date",
            "not_accredited_reason",
            "sites",
            "history",
        ]
        read_only_fields = fields


# ``many=False``: the list action answers this one object, not a list of them.
@extend_schema_serializer(many=False)
class PublicIssuedCertificatePageSerializer(serializers.Serializer):
    """One page of the lookup: the rows, how many match (counted up to a cap) and the next page."""

    kind = serializers.ChoiceField(choices=["", "number", "credit_code", "name"], help_text="What `q` was taken for.")
    count = serializers.IntegerField(help_text="Matches, counted up to `count_cap`.")
    count_is_capped = serializers.BooleanField(help_text="True when there are more than `count` matches.")
    next = serializers.CharField(allow_null=True, help_text="The next page's URL, or null on the last page.")
    results = PublicIssuedCertificateSerializer(many=True)
