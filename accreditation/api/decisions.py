"""The API of decisions: read them through ``decision_qs_for``; record one with
``POST /api/applications/{id}/decide/`` (the action lives on the application viewset).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from accreditation.api.views import viewer
from accreditation.choices_applications import DecisionOutcome
from accreditation.models import Decision, DecisionItem
from accreditation.scope_shapes import summary
from accreditation.selectors_decisions import decision_qs_for
from core.api.serializers import error_responses


class DecisionItemSerializer(serializers.ModelSerializer[DecisionItem]):
    action = serializers.CharField(source="item.action", read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = DecisionItem
        fields = ["item", "action", "summary", "outcome", "reason"]
        read_only_fields = fields

    def get_summary(self, entry: DecisionItem) -> str:
        return summary(entry.decision.application.programme.scope_shape, entry.item.attributes)


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    application_reference = serializers.CharField(source="application.reference", read_only=True)
    application_type = serializers.CharField(source="application.type", read_only=True)
    decided_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)
    items = DecisionItemSerializer(many=True, read_only=True)
    register_changes = serializers.DictField(
        child=serializers.ListField(), read_only=True, help_text="Field: [old value, new value]."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "application_reference",
            "application_type",
            "sequence",
            "outcome",
            "reasons",
            "decided_by",
            "decided_at",
            "accreditation",
            "scope_version",
            "register_changes",
            "items",
        ]
        read_only_fields = fields


class ItemOutcomeSerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField(help_text="Id of an applied scope item awaiting a decision.")
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text="Required to refuse or defer."
    )


class DecideSerializer(serializers.Serializer[Any]):
    """A decision: one outcome per item awaiting a decision, or ``outcome`` for a change notification."""

    reasons = serializers.CharField(allow_blank=True, max_length=10000)
    items = ItemOutcomeSerializer(many=True, required=False, default=list)
    outcome = serializers.ChoiceField(
        choices=[("", "—"), *DecisionOutcome.choices],
        required=False,
        default="",
        help_text="Only for a change notification: grant (approve) or refuse.",
    )

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [entry["item"] for entry in items]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each item may appear once.")
        return items

    def service_arguments(self) -> dict[str, Any]:
        data = self.validated_data
        return {
            "reasons": data["reasons"],
            "items": {entry["item"]: (entry["outcome"], entry["reason"]) for entry in data["items"]},
            "outcome": data["outcome"],
        }


@extend_schema_view(
    list=extend_schema(
        summary="Decisions the user may read (staff: all; a CAB's members: their CAB's)",
        parameters=[OpenApiParameter("application", int, description="Only the decisions on this application.")],
    ),
    retrieve=extend_schema(
        summary="One decision: each item's outcome and what it changed in the register",
        responses={200: DecisionSerializer, **error_responses(401, 404)},
    ),
)
class DecisionViewSet(viewsets.ReadOnlyModelViewSet[Decision]):
    """Accreditation decisions. Record one with ``POST /api/applications/{id}/decide/``."""

    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        decisions = decision_qs_for(viewer(self.request)).prefetch_related(
            "items__item", "items__decision__application__programme"
        )
        application = self.request.query_params.get("application", "")
        if self.action == "list" and application.isdigit():
            decisions = decisions.filter(application_id=int(application))
        return decisions.order_by("-decided_at", "-pk")
