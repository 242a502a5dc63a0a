"""Serializers of the statistics endpoint: the query's filters, and the tables as the dashboard shows them."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from accreditation.models import Programme
from surveillance.selectors_statistics import FIRST_YEAR


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        help_text="The year of the sanctions, complaints and uploads; default this year.",
    )
    programme = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Programme.objects.all(),
        required=False,
        help_text="A programme's code, e.g. `CL`: narrows the bodies, sanctions and surveillance figures.",
    )

    def validate_year(self, value: int) -> int:
        if value > timezone.localdate().year:
            raise serializers.ValidationError("A year that has not begun has no figures.")
        return value


class StatisticsColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable key of the column, e.g. a status, a programme code or a year.")
    label = serializers.CharField(help_text="The column's heading in the request's language.")  # type: ignore[assignment]


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable key of the row, e.g. a programme code, a province code, a CB's id.")
    label = serializers.CharField()  # type: ignore[assignment]
    values = serializers.DictField(
        child=serializers.JSONField(), help_text="The row's figures by column key (counts; dates as YYYY-MM-DD)."
    )


class StatisticsTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    row_header = serializers.CharField()
    columns = StatisticsColumnSerializer(many=True)
    rows = StatisticsRowSerializer(many=True)
    totals = serializers.DictField(
        child=serializers.JSONField(), allow_null=True, help_text="The totals row by column key, or null."
    )
    totals_label = serializers.CharField(allow_blank=True)


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    programme = serializers.CharField(allow_null=True, help_text="The programme's code, or null for all.")
    today = serializers.DateField(help_text="The day due and overdue are counted from.")
    tables = StatisticsTableSerializer(many=True)
