"""Serializers of the complaints API: the public submission and status, the staff's view and moves."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accreditation.selectors import public_cab_qs
from assessors.choices import AssessmentKind
from surveillance.choices import ComplaintKind, ComplaintOutcome, ComplaintStatus
from surveillance.forms_complaints import MAX_DESCRIPTION
from surveillance.models import Complaint, ComplaintAttachment
from surveillance.services_complaints import MAX_ATTACHMENTS


class PublicComplaintSubmitSerializer(serializers.Serializer[Any]):
    """A complaint from anyone. JSON, or multipart form data when files are attached."""

    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    cab = serializers.PrimaryKeyRelatedField(
        queryset=public_cab_qs(),
        required=False,
        allow_null=True,
        help_text="Id of the body complained about, from `/api/public/cabs/`; or name it in `cab_name_given`.",
    )
    cab_name_given = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    certificate_number = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="", help_text="Required for `fake_certificate`."
    )
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    complainant_name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    complainant_organisation = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    complainant_email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        default="",
        help_text="An e-mail address or a telephone number is required.",
    )
    complainant_phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text=f"Up to {MAX_ATTACHMENTS} files (PDF, DOCX, XLSX, JPEG, PNG), multipart only.",
    )


class PublicComplaintSerializer(serializers.Serializer[Any]):
    """What anyone holding the tracking number may know: no personal data, no description."""

    tracking_number = serializers.CharField()
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    status_label = serializers.CharField()
    received_on = serializers.DateField()
    acknowledge_due_on = serializers.DateField()
    acknowledged_on = serializers.DateField(allow_null=True)
    resolution_due_on = serializers.DateField()
    resolved_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(help_text="One of the outcome codes once resolved, else empty.")
    outcome_label = serializers.CharField()
    outcome_summary = serializers.CharField()
    status_url = serializers.SerializerMethodField()

    def get_status_url(self, values: dict[str, Any]) -> str:
        path = reverse("surveillance:complaint_status", args=[values["tracking_number"]])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ComplaintAttachmentSerializer(serializers.ModelSerializer[ComplaintAttachment]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintAttachment
        fields = ["id", "original_name", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: ComplaintAttachment) -> str:
        return reverse("surveillance:complaint_attachment", args=[attachment.pk])


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    """A complaint as the accreditation body's staff see it, with the complainant's details."""

    cab_name = serializers.SerializerMethodField()
    is_acknowledgement_overdue = serializers.BooleanField(read_only=True)
    is_resolution_overdue = serializers.BooleanField(read_only=True)
    attachments = ComplaintAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_number",
            "kind",
            "channel",
            "status",
            "cab",
            "cab_name",
            "cab_name_given",
            "certificate_number",
            "subject",
            "description",
            "complainant_name",
            "complainant_organisation",
            "complainant_email",
            "complainant_phone",
            "language",
            "submitted_by",
            "received_at",
            "acknowledge_due_on",
            "acknowledged_at",
            "resolution_due_on",
            "resolved_at",
            "outcome",
            "outcome_summary",
            "handler",
            "is_acknowledgement_overdue",
            "is_resolution_overdue",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_cab_name(self, complaint: Complaint) -> str:
        return complaint.cab.name_zh if complaint.cab else ""


class ComplaintNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ComplaintResolveSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=ComplaintOutcome.choices)
    outcome_summary = serializers.CharField(max_length=4000)


class ComplaintSpecialAssessmentSerializer(serializers.Serializer[Any]):
    """Open a special assessment; ``accreditation`` (its id) may be left out when the body holds one."""

    accreditation = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=AssessmentKind.choices, default=AssessmentKind.ON_SITE)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SpecialAssessmentOpenedSerializer(serializers.Serializer[Any]):
    assessment = serializers.IntegerField(source="pk")
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference")
    accreditation = serializers.IntegerField(source="application.accreditation_id")
    kind = serializers.CharField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    status = serializers.CharField()
