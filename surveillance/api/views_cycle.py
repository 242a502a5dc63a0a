"""The cycle page's rows as JSON for the accreditation body's staff (read-only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.views import IsStaffReader
from core.api.serializers import error_responses
from core.errors import DomainError
from surveillance.forms_cycle import CycleFilterForm
from surveillance.selectors_cycle import CycleRow, cycle_rows


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
