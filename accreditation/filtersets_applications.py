"""The filters of application lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Application


class ApplicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    type = django_filters.ChoiceFilter(label=_("Type"), choices=ApplicationType.choices)
    programme = django_filters.CharFilter(label=_("Programme"), field_name="programme__code")
    cab = django_filters.NumberFilter(label=_("CAB"), field_name="cab_id")

    class Meta:
        model = Application
        fields = ["status", "type", "programme", "cab"]
