"""The cycle page's rows and each accreditation's on-site history as JSON for the accreditation body's staff."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.views import IsStaffReader, actor, validated, viewer
from accreditation.models import Accreditation
from core.api.serializers import error_responses
from core.errors import DomainError
from surveillance.cycle import HELD_ONSITE_KINDS
from surveillance.forms_cycle import CycleFilterForm
from surveillance.models import PastOnsiteAssessment
from surveillance.selectors_cycle import CycleRow, cycle_rows, onsite_history
from surveillance.selectors_sanctions import sanctionable_accreditation_qs_for
from surveillance.services_cycle import past_onsite_record


class CycleRowSerializer(serializers.Serializer[Any]):
    accreditation = serializers.IntegerField(source="accreditation.pk")
    number = serializers.CharField(source="accreditation.number", allow_null=True)
    cab = serializers.CharField(source="accreditation.cab.name_zh")
    programme = serializers.CharField(source="accreditation.programme.code")
    status = serializers.CharField(source="accreditation.status")
    due_on = serializers.DateField(source="due.due_on")
    rule = serializers.CharField(source="due.rule")
    overdue = serializers.BooleanField()
    planned_assessment = serializers.SerializerMethodField()

    def get_planned_assessment(self, row: CycleRow) -> dict[str, Any] | None:
        if row.planned is None:
            return None
        return {
            "id": row.planned.pk,
            "application": row.planned.application.reference,
            "planned_start": row.planned.planned_start.isoformat(),
            "planned_end": row.planned.planned_end.isoformat(),
            "status": row.planned.status,
        }


class CycleQuerySerializer(serializers.Serializer[dict[str, Any]]):
    days = serializers.IntegerField(required=False, min_value=0, max_value=730)
    programme = serializers.CharField(required=False)
    due_status = serializers.ChoiceField(choices=["", "overdue", "due_soon"], required=False)


class CycleAPIView(APIView):
    """Secretariat and decision makers; anyone else signed in gets 403."""

    permission_classes = [IsStaffReader]

    @extend_schema(
        operation_id="supervision_cycle_list",
        summary="On-site assessments overdue or due soon",
        description=(
            "The rows of `/supervision/cycle/`: each held accreditation whose next on-site assessment is overdue or "
            "due within `days` (default `SURVEILLANCE_LEAD_DAYS`), the rule that sets the date and the planned "
            "assessment if any. `programme` is a programme code; `due_status` is `overdue` or `due_soon`."
        ),
        parameters=[CycleQuerySerializer],
        responses={200: CycleRowSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = CycleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        form = CycleFilterForm(dict(query.validated_data))
        if not form.is_valid():
            raise DomainError("invalid_filters", form.errors.as_text(), detail=form.errors.get_json_data())
        rows = cycle_rows(today=timezone.localdate(), **form.filters())
        return Response(CycleRowSerializer(rows, many=True).data)


# --- one accreditation's on-site history ----------------------------------------------------------


class HeldAssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    application = serializers.CharField(source="application.reference")
    kind = serializers.CharField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    status = serializers.CharField()


class PastOnsiteSerializer(serializers.ModelSerializer[PastOnsiteAssessment]):
    recorded_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = PastOnsiteAssessment
        fields = ["id", "kind", "held_from", "held_to", "reference", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class PastOnsiteRecordSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=sorted(HELD_ONSITE_KINDS))
    held_from = serializers.DateField()
    held_to = serializers.DateField()
    reference = serializers.CharField(max_length=60)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OnsiteHistorySerializer(serializers.Serializer[Any]):
    accreditation = serializers.IntegerField(source="accreditation.pk")
    number = serializers.CharField(source="accreditation.number", allow_null=True)
    status = serializers.CharField(source="accreditation.status")
    due_on = serializers.DateField(source="due.due_on", allow_null=True, default=None)
    rule = serializers.CharField(source="due.rule", allow_null=True, default=None)
    held = HeldAssessmentSerializer(many=True)
    recorded = PastOnsiteSerializer(many=True)


class OnsiteHistoryAPIView(APIView):
    """Staff read one accreditation's on-site history; the secretariat records a past assessment."""

    permission_classes = [IsStaffReader]

    def _accreditation(self, request: Request, pk: int) -> Accreditation:
        return get_object_or_404(sanctionable_accreditation_qs_for(viewer(request)), pk=pk)

    @extend_schema(
        operation_id="supervision_cycle_accreditation_retrieve",
        summary="One accreditation's next on-site due date and the on-site assessments it counts from",
        description=(
            "`due_on` and `rule` are null when the accreditation is not held. `held`: on-site and hybrid "
            "assessments whose report was submitted in the portal; `recorded`: those held before the portal."
        ),
        responses={200: OnsiteHistorySerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(OnsiteHistorySerializer(onsite_history(self._accreditation(request, pk))).data)

    @extend_schema(
        operation_id="supervision_cycle_accreditation_record",
        summary="Record an on-site assessment held before the portal (secretariat)",
        description=(
            "Refusals: `not_secretariat` (403), `invalid_kind`, `invalid_period`, `not_held_yet`, `period_too_long`, "
            "`reference_required` (400), `accreditation_not_granted`, `reference_recorded` (409)."
        ),
        request=PastOnsiteRecordSerializer,
        responses={201: PastOnsiteSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(PastOnsiteRecordSerializer, request.data, {"request": request})
        record = past_onsite_record(accreditation=self._accreditation(request, pk), actor=actor(request), **data)
        return Response(PastOnsiteSerializer(record).data, status=201)
