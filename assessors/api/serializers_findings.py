"""Serializers of findings and corrective actions: shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessors.models_reports import CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment
from assessors.selectors_teams import assessment_qs_for
from assessors.services_findings import is_late


class CorrectiveActionAttachmentSerializer(serializers.ModelSerializer[CorrectiveActionAttachment]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CorrectiveActionAttachment
        fields = ["id", "label", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: CorrectiveActionAttachment) -> str:
        return reverse(
            "assessors_api:corrective-action-attachment", args=[attachment.corrective_action_id, attachment.pk]
        )


class CorrectiveActionSerializer(serializers.ModelSerializer[CorrectiveAction]):
    submitted_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    reviewed_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    is_late = serializers.SerializerMethodField()
    attachments = CorrectiveActionAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "finding",
            "correction",
            "root_cause",
            "action",
            "evidence",
            "status",
            "submitted_by",
            "submitted_at",
            "is_late",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_late(self, corrective_action: CorrectiveAction) -> bool:
        return is_late(corrective_action)


class FindingSerializer(serializers.ModelSerializer[Finding]):
    report_version = serializers.IntegerField(source="report.version", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    corrective_actions = CorrectiveActionSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "assessment",
            "report",
            "report_version",
            "number",
            "kind",
            "grade",
            "clause",
            "statement",
            "evidence",
            "item",
            "status",
            "answer_due_on",
            "is_overdue",
            "closed_at",
            "created_at",
            "corrective_actions",
        ]
        read_only_fields = fields


class CorrectiveActionAnswerSerializer(serializers.Serializer[Any]):
    """The CAB's answer; send it as multipart to attach ``files``."""

    correction = serializers.CharField(max_length=8000)
    root_cause = serializers.CharField(max_length=8000)
    action = serializers.CharField(max_length=8000)
    evidence = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=10)


class CorrectiveActionCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.INT)
class _AssessmentField(serializers.PrimaryKeyRelatedField[Assessment]):
    def get_queryset(self) -> Any:
        return assessment_qs_for(self.context["request"].user)


class CloseAfterDeadlineSerializer(serializers.Serializer[Any]):
    assessment = _AssessmentField()
    reason = serializers.CharField(max_length=4000)
