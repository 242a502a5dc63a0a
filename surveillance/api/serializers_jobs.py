"""Serializers of the job-run API (read-only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveillance.models import JobRun


class JobRunSerializer(serializers.ModelSerializer[JobRun]):
    job_label = serializers.CharField(source="get_job_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    duration_seconds = serializers.SerializerMethodField(help_text="`null` while the run is still going.")
    summary = serializers.SerializerMethodField(
        help_text='Rows changed (or reminders sent) per part of the job, e.g. `{"certificates_expired": 1250}`.'
    )

    class Meta:
        model = JobRun
        fields = [
            "id",
            "job",
            "job_label",
            "run_for",
            "status",
            "status_label",
            "started_at",
            "finished_at",
            "duration_seconds",
            "rows_changed",
            "summary",
            "errors",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_duration_seconds(self, run: JobRun) -> float | None:
        return (run.finished_at - run.started_at).total_seconds() if run.finished_at else None

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_summary(self, run: JobRun) -> dict[str, Any]:
        return {str(part): int(count) for part, count in run.summary.items()}
