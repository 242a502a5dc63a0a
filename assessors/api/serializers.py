"""Serializers of the assessors API: shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accreditation.models import Cab, Programme
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from assessors.selectors import assessor_qs_for, competence_code_qs
from core.api.serializers import UserSerializer


class _OwnAssessorField(serializers.PrimaryKeyRelatedField[AssessorProfile]):
    """An assessor the requesting user may see (their own profile, or anyone's for staff)."""

    def get_queryset(self) -> Any:
        return assessor_qs_for(self.context["request"].user)


class AssessorSerializer(serializers.ModelSerializer[AssessorProfile]):
    user = UserSerializer(read_only=True)

    class Meta:
        model = AssessorProfile
        fields = ["id", "user", "region", "languages", "employer", "phone", "cv", "created_at", "updated_at"]
        read_only_fields = fields


class CompetenceCodeSerializer(serializers.ModelSerializer[CompetenceCode]):
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CompetenceCode
        fields = ["id", "programme", "code", "name_zh", "name_en", "is_active"]
        read_only_fields = fields


class QualificationSerializer(serializers.ModelSerializer[Qualification]):
    assessor = _OwnAssessorField()
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="code", queryset=Programme.objects.all()
    )

    class Meta:
        model = Qualification
        fields = [
            "id",
            "assessor",
            "programme",
            "role",
            "valid_from",
            "valid_until",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = ["id", "status", "requested_at", "decided_by", "decided_at", "reason"]


class CompetenceSerializer(serializers.ModelSerializer[Competence]):
    assessor = _OwnAssessorField()
    code = serializers.PrimaryKeyRelatedField(queryset=competence_code_qs())
    code_label = serializers.CharField(source="code.code", read_only=True)
    programme = serializers.CharField(source="code.programme.code", read_only=True)

    class Meta:
        model = Competence
        fields = [
            "id",
            "assessor",
            "code",
            "code_label",
            "programme",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
        ]
        read_only_fields = ["id", "status", "requested_at", "decided_by", "decided_at", "reason"]


class TrainingRecordSerializer(serializers.ModelSerializer[TrainingRecord]):
    assessor = _OwnAssessorField()

    class Meta:
        model = TrainingRecord
        fields = ["id", "assessor", "title", "provider", "date", "hours"]
        read_only_fields = ["id"]


class _VisibleCabField(serializers.PrimaryKeyRelatedField[Cab]):
    """Any CAB in the register: an assessor declares ties with bodies they cannot otherwise see."""

    def get_queryset(self) -> Any:
        return Cab.objects.all()


class ConflictSerializer(serializers.ModelSerializer[ConflictOfInterest]):
    assessor = _OwnAssessorField()
    cab = _VisibleCabField()
    cab_name = serializers.CharField(source="cab.name", read_only=True)

    class Meta:
        model = ConflictOfInterest
        fields = ["id", "assessor", "cab", "cab_name", "kind", "started_on", "ended_on", "note", "declared_at"]
        read_only_fields = ["id", "declared_at"]


class ConflictEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class UnavailabilitySerializer(serializers.ModelSerializer[Unavailability]):
    assessor = _OwnAssessorField()

    class Meta:
        model = Unavailability
        fields = ["id", "assessor", "start", "end", "reason"]
        read_only_fields = ["id"]


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
