"""The statistics as JSON for the accreditation body's staff: the same tables as the dashboard."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.views import IsStaffReader
from core.api.serializers import error_responses
from surveillance.api.serializers_statistics import StatisticsQuerySerializer, StatisticsSerializer
from surveillance.selectors_statistics import StatisticsFilters, statistics


class StatisticsAPIView(APIView):
    """Secretariat and decision makers; anyone else signed in gets 403."""

    permission_classes = [IsStaffReader]

    @extend_schema(
        operation_id="supervision_statistics_retrieve",
        summary="Statistics for the secretariat",
        description=(
            "Bodies by programme, status and province; sanctions by reason, kind and year; complaint outcomes "
            "with overdue counts; on-site assessments due and overdue; certificate uploads per certification "
            "body. Each table has the rows and columns of the dashboard at `/supervision/statistics/`, labels "
            "in the request's language. `programme` narrows the register figures only."
        ),
        parameters=[StatisticsQuerySerializer],
        responses={200: StatisticsSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        default = StatisticsFilters.default()
        filters = StatisticsFilters(
            year=query.validated_data.get("year", default.year), programme=query.validated_data.get("programme")
        )
        data = {
            "year": filters.year,
            "programme": filters.programme.code if filters.programme is not None else None,
            "today": filters.today,
            "tables": statistics(filters),
        }
        return Response(StatisticsSerializer(data).data)
