"""Serializers of the appeals and special-supervision API (risk table, double-random draws)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accreditation.models import Programme
from core.models import User
from surveillance.choices import AppealOutcome, AppealStatus, DrawStatus, RiskBand
from surveillance.models import Appeal, DrawnBody, SupervisionDraw

# --- appeals ------------------------------------------------------------------------------------------


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    status = serializers.ChoiceField(choices=AppealStatus.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices, read_only=True, allow_blank=True)
    cab_name = serializers.CharField(source="cab.name_zh", read_only=True)
    panel: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reference",
            "decision",
            "cab",
            "cab_name",
            "status",
            "lodged_by",
            "lodged_at",
            "grounds",
            "panel",
            "outcome",
            "outcome_reasons",
            "decided_by",
            "decided_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


class AppealLodgeSerializer(serializers.Serializer[Any]):
    decision = serializers.IntegerField(help_text="Id of a decision on the CAB's application.")
    grounds = serializers.CharField(max_length=10000, trim_whitespace=False)


class AppealPanelSerializer(serializers.Serializer[Any]):
    panel = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        help_text="User ids of staff who took no part in the decision or the assessment of the application.",
    )


class AppealDecideSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    reasons = serializers.CharField(max_length=10000, trim_whitespace=False)


# --- risk table ---------------------------------------------------------------------------------------


class RiskFactorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    points = serializers.IntegerField()
    reason = serializers.CharField(help_text="Why the factor counts, in the request's language.")


class CabRiskSerializer(serializers.Serializer[Any]):
    cab = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    band = serializers.ChoiceField(choices=RiskBand.choices)
    factors = RiskFactorSerializer(many=True)


class RiskTableSerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(allow_null=True)
    high_from = serializers.IntegerField(help_text="A score at or above this is high risk.")
    medium_from = serializers.IntegerField(help_text="A score at or above this (and below `high_from`) is medium.")
    points = serializers.DictField(child=serializers.IntegerField(), help_text="Points per factor code.")
    rows = CabRiskSerializer(many=True, help_text="Every CAB holding an accreditation, highest score first.")


class RiskQuerySerializer(serializers.Serializer[Any]):
    programme = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Programme.objects.all(),
        required=False,
        help_text="Only bodies accredited under this programme (its code).",
    )


# --- draws --------------------------------------------------------------------------------------------


class InspectorSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class DrawnBodySerializer(serializers.ModelSerializer[DrawnBody]):
    cab_name = serializers.CharField(source="cab.name_zh", read_only=True)
    risk_band = serializers.ChoiceField(choices=RiskBand.choices, read_only=True)
    inspectors = InspectorSerializer(many=True, read_only=True)

    class Meta:
        model = DrawnBody
        fields = ["id", "position", "cab", "cab_name", "how", "risk_score", "risk_band", "inspectors", "outcome"]
        read_only_fields = fields


class SupervisionDrawSerializer(serializers.ModelSerializer[SupervisionDraw]):
    status = serializers.ChoiceField(choices=DrawStatus.choices, read_only=True)
    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    bodies = DrawnBodySerializer(many=True, read_only=True)
    inputs = serializers.JSONField(read_only=True, help_text="Everything the draw read; with `seed`, reproduces it.")
    result = serializers.JSONField(read_only=True, help_text="What the draw picked, in draw order.")

    class Meta:
        model = SupervisionDraw
        fields = [
            "id",
            "reference",
            "status",
            "run_by",
            "run_at",
            "seed",
            "body_count",
            "random_share",
            "inspectors_per_body",
            "programme",
            "published_by",
            "published_at",
            "bodies",
            "inputs",
            "result",
        ]
        read_only_fields = fields


class DrawRunSerializer(serializers.Serializer[Any]):
    body_count = serializers.IntegerField(help_text="How many bodies to draw (1 to 200).")
    random_share = serializers.IntegerField(
        help_text="Percentage drawn purely at random (0 to 100); the rest is weighted by risk band."
    )
    inspectors_per_body = serializers.IntegerField(required=False, default=2, help_text="1 to 10.")
    programme = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Draw only among bodies accredited under this programme (its code).",
    )


class DrawnBodyOutcomeSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(max_length=4000, trim_whitespace=False)


class PublicDrawnBodySerializer(serializers.ModelSerializer[DrawnBody]):
    """What the public page shows of a body drawn: its name, the inspectors' names, the outcome."""

    cab_name = serializers.CharField(source="cab.name_zh", read_only=True)
    inspectors = serializers.SerializerMethodField()

    class Meta:
        model = DrawnBody
        fields = ["position", "cab_name", "inspectors", "outcome"]
        read_only_fields = fields

    def get_inspectors(self, body: DrawnBody) -> list[str]:
        return [str(user) for user in body.inspectors.all()]


class PublicDrawSerializer(serializers.ModelSerializer[SupervisionDraw]):
    bodies = PublicDrawnBodySerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionDraw
        fields = ["id", "reference", "published_at", "seed", "bodies"]
        read_only_fields = fields
