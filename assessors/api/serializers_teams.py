"""Serializers of assessments and team members: shapes only; the services check the rules."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accreditation.models import Application, ApplicationScopeItem
from accreditation.selectors_applications import application_qs_for
from assessors.choices import AssessmentKind
from assessors.models import AssessorProfile
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_teams import assessment_qs_for
from core.models import User
from core.roles import is_staff_reader


class _ApplicationField(serializers.PrimaryKeyRelatedField[Application]):
    def get_queryset(self) -> Any:
        return application_qs_for(self.context["request"].user, "change")


class _AssessmentField(serializers.PrimaryKeyRelatedField[Assessment]):
    def get_queryset(self) -> Any:
        return assessment_qs_for(self.context["request"].user)


class _AssessorUserField(serializers.PrimaryKeyRelatedField[User]):
    """A user with an assessor profile (the services check qualification, conflicts and absences)."""

    def get_queryset(self) -> Any:
        return User.objects.filter(pk__in=AssessorProfile.objects.values("user_id"))


class TeamMemberSerializer(serializers.ModelSerializer[TeamMember]):
    assessment = _AssessmentField()
    user = _AssessorUserField()
    user_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "assessment",
            "user",
            "user_name",
            "role",
            "status",
            "is_manual",
            "explanation",
            "covers",
            "workload_days",
            "objection_reason",
            "ruling_reason",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "is_manual",
            "explanation",
            "covers",
            "workload_days",
            "objection_reason",
            "ruling_reason",
            "created_at",
        ]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    application = _ApplicationField()
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    scope_items = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=ApplicationScopeItem.objects.all()
    )
    proposal_warnings = serializers.SerializerMethodField()
    proposal_excluded = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "application",
            "kind",
            "planned_start",
            "planned_end",
            "sites",
            "scope_items",
            "status",
            "proposal_warnings",
            "proposal_excluded",
            "created_at",
        ]
        read_only_fields = ["id", "status", "created_at"]

    def _staff(self) -> bool:
        return is_staff_reader(self.context["request"].user)

    def get_proposal_warnings(self, assessment: Assessment) -> list[dict[str, Any]]:
        """The proposal's warnings (``coverage_gap``, ``no_lead_assessor``); staff only."""
        return list(assessment.proposal_warnings) if self._staff() else []

    def get_proposal_excluded(self, assessment: Assessment) -> list[dict[str, Any]]:
        """Assessors the proposal left out and why (conflicts, absences); staff only."""
        return list(assessment.proposal_excluded) if self._staff() else []


class RescheduleSerializer(serializers.Serializer):
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class TeamReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ObjectionRulingSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
