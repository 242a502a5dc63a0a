"""The filters of complaint lists, shared by the secretariat's page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from surveillance.choices import ComplaintKind, ComplaintStatus
from surveillance.models import Complaint
from surveillance.selectors_complaints import overdue_q


class ComplaintFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ComplaintStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("About"), choices=ComplaintKind.choices)
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text=_("Past the acknowledgement or the resolution date."),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )
    cab = django_filters.NumberFilter(label=_("CAB"), field_name="cab_id")

    class Meta:
        model = Complaint
        fields = ["status", "kind", "overdue", "cab"]

    def filter_overdue(self, queryset: QuerySet[Complaint], name: str, value: bool | None) -> QuerySet[Complaint]:
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
