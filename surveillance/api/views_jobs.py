"""The daily jobs' runs, read-only, for the accreditation body's staff (``/api/supervision/job-runs/``)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from accreditation.api.views import viewer
from surveillance.api.serializers_jobs import JobRunSerializer
from surveillance.filtersets_jobs import JobRunFilterSet
from surveillance.models import JobRun
from surveillance.selectors_jobs import job_run_qs_for


@extend_schema_view(
    list=extend_schema(
        summary="Runs of the daily jobs, newest first (staff; empty for anyone else)",
        description=(
            "One entry per run of a daily job (expiry sweep, deadline watchdog, qualification reminders, ...) "
            "for one day: status `running`, `succeeded`, `failed` (with `errors`) or `skipped` (another run held "
            "the job's lock), start and end, rows changed and the counts per part. Filter by `job`, `status` "
            "and `run_for`."
        ),
    ),
    retrieve=extend_schema(summary="One run of a daily job (staff)"),
)
class JobRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[JobRun]):
    serializer_class = JobRunSerializer
    filterset_class = JobRunFilterSet

    def get_queryset(self) -> QuerySet[JobRun]:
        return job_run_qs_for(viewer(self.request))
