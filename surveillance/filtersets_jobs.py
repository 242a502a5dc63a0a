"""Filters of the job runs, shared by the jobs page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from surveillance.choices import JobName, JobRunStatus
from surveillance.models import JobRun


class JobRunFilterSet(django_filters.FilterSet):
    job = django_filters.ChoiceFilter(label=_("Job"), choices=JobName.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=JobRunStatus.choices)
    run_for = django_filters.DateFilter(label=_("For the day"))

    class Meta:
        model = JobRun
        fields = ["job", "status", "run_for"]
