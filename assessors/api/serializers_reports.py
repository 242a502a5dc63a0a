"""Serializers of assessment reports, their findings and attachments, and remote sessions: shapes only.

The services check the rules; related objects are looked up through the selectors, so an object
the user may not see is "not found" in the body as in the URL.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accreditation.models import ApplicationScopeItem
from assessors.choices import FindingGrade, FindingKind, FindingStatus, Recommendation
from assessors.models_reports import AssessmentReport, Finding, ItemRecommendation, ReportAttachment
from assessors.models_teams import Assessment, RemoteSession
from assessors.selectors_reports import report_qs_for
from assessors.selectors_teams import assessment_qs_for


def _inline_choices(choices: Any, *, blank: bool = False) -> Any:
    """A choice field described in the schema as a string with its values listed, not as an enum.

    The finding choices are also named by the corrective actions' serializers and the
    assessment's kind by the team serializers; a second enum of the same set under the same
    field name makes drf-spectacular warn unless ``ENUM_NAME_OVERRIDES`` names it. Until the
    settings name these sets, the values are listed in the description instead.
    """
    values = [*([""] if blank else []), *choices.values]
    listed = ", ".join(f"`{value}`" for value in values)

    @extend_schema_field({"type": "string", "description": f"One of {listed}."})
    class InlineChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    return InlineChoiceField


_FindingKindField = _inline_choices(FindingKind)
_FindingGradeField = _inline_choices(FindingGrade, blank=True)
_FindingStatusField = _inline_choices(FindingStatus, blank=True)


@extend_schema_field(OpenApiTypes.INT)
class _AssessmentField(serializers.PrimaryKeyRelatedField[Assessment]):
    def get_queryset(self) -> Any:
        return assessment_qs_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class _ReportField(serializers.PrimaryKeyRelatedField[AssessmentReport]):
    def get_queryset(self) -> Any:
        return report_qs_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class _ScopeItemField(serializers.PrimaryKeyRelatedField[ApplicationScopeItem]):
    """Any applied scope item; the service refuses one the assessment does not cover (``invalid_scope_item``)."""

    def get_queryset(self) -> Any:
        return ApplicationScopeItem.objects.all()


class ItemRecommendationSerializer(serializers.ModelSerializer[ItemRecommendation]):
    class Meta:
        model = ItemRecommendation
        fields = ["item", "recommendation", "conditions"]
        read_only_fields = fields


class RecommendationInputSerializer(serializers.Serializer):
    item = _ScopeItemField()
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    conditions = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReportAttachmentSerializer(serializers.ModelSerializer[ReportAttachment]):
    download_url = serializers.SerializerMethodField()
    uploaded_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ReportAttachment
        fields = ["id", "report", "label", "size", "uploaded_by", "uploaded_at", "download_url"]
        read_only_fields = fields

    # A path on this server (like the other attachments' ``download_url``), not an absolute URI.
    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, attachment: ReportAttachment) -> str:
        """Through the permission-checked API, never a public media URL."""
        return reverse("assessors_api:report-attachment-download", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, Word (.docx), Excel (.xlsx), JPEG or PNG.")


class ReportSerializer(serializers.ModelSerializer[AssessmentReport]):
    assessment = _AssessmentField()
    recommendations = ItemRecommendationSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    findings: serializers.PrimaryKeyRelatedField[Finding] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    created_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    submitted_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = AssessmentReport
        fields = [
            "id",
            "assessment",
            "version",
            "status",
            "summary",
            "conclusion",
            "amendment_reason",
            "amends",
            "recommendations",
            "findings",
            "attachments",
            "created_by",
            "created_at",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = [
            "id",
            "version",
            "status",
            "summary",
            "conclusion",
            "amendment_reason",
            "amends",
            "created_at",
            "submitted_at",
        ]


class ReportUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    conclusion = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class AmendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class FindingWriteSerializer(serializers.ModelSerializer[Finding]):
    """A finding raised in a draft report; ``number``, ``status`` and ``answer_due_on`` are the portal's."""

    report = _ReportField()
    kind = _FindingKindField()
    grade = _FindingGradeField(required=False, allow_blank=True, default="")
    item = _ScopeItemField(required=False, allow_null=True, default=None)
    status = _FindingStatusField(read_only=True, help_text="Empty while the report is a draft.")

    class Meta:
        model = Finding
        fields = [
            "id",
            "report",
            "assessment",
            "number",
            "kind",
            "grade",
            "clause",
            "statement",
            "evidence",
            "item",
            "status",
            "answer_due_on",
            "created_at",
        ]
        read_only_fields = ["id", "assessment", "number", "status", "answer_due_on", "created_at"]


class FindingPatchSerializer(serializers.Serializer):
    kind = _FindingKindField(required=False)
    grade = _FindingGradeField(required=False, allow_blank=True)
    clause = serializers.CharField(max_length=100, required=False)
    statement = serializers.CharField(max_length=4000, required=False)
    evidence = serializers.CharField(max_length=8000, required=False)
    item = _ScopeItemField(required=False, allow_null=True)


class RemoteSessionSerializer(serializers.ModelSerializer[RemoteSession]):
    assessment = _AssessmentField()

    class Meta:
        model = RemoteSession
        fields = [
            "id",
            "assessment",
            "starts_at",
            "ends_at",
            "topic",
            "ict",
            "participants",
            "site",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class RemoteDetailsInputSerializer(serializers.Serializer):
    """The ICT details to record; a field left out keeps its value."""

    assessment = _AssessmentField()
    ict_tools = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    ict_tested_on = serializers.DateField(required=False, allow_null=True)
    ict_security = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RemoteDetailsSerializer(serializers.ModelSerializer[Assessment]):
    """The ICT details of a remote or hybrid assessment (IAF MD 4)."""

    class Meta:
        model = Assessment
        fields = ["id", "ict_tools", "ict_tested_on", "ict_security"]
        read_only_fields = fields
