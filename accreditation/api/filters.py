"""Filters of the API lists that have no page of their own (the shared ones are in ``filtersets``).

A parent is filtered by its id with a plain number filter, like ``AccreditationFilterSet.cab``:
a model-choice filter would look the id up among *all* rows, costing a query and answering
"not a valid choice" for an id that exists but that the user may not see.
"""

from __future__ import annotations

import django_filters

from accreditation.choices import ScopeItemStatus, ScopeVersionStatus
from accreditation.models import CabContact, CabMembership, CabSite, ScopeItem, ScopeVersion
from core.models import AuditEvent


class CabSiteFilterSet(django_filters.FilterSet):
    cab = django_filters.NumberFilter(field_name="cab_id")

    class Meta:
        model = CabSite
        fields = ["cab"]


class CabContactFilterSet(django_filters.FilterSet):
    cab = django_filters.NumberFilter(field_name="cab_id")

    class Meta:
        model = CabContact
        fields = ["cab"]


class MembershipFilterSet(django_filters.FilterSet):
    cab = django_filters.NumberFilter(field_name="cab_id")

    class Meta:
        model = CabMembership
        fields = ["cab"]


class ScopeVersionFilterSet(django_filters.FilterSet):
    accreditation = django_filters.NumberFilter(field_name="accreditation_id")
    status = django_filters.ChoiceFilter(choices=ScopeVersionStatus.choices)

    class Meta:
        model = ScopeVersion
        fields = ["accreditation", "status"]


class ScopeItemFilterSet(django_filters.FilterSet):
    version = django_filters.NumberFilter(field_name="version_id")
    status = django_filters.ChoiceFilter(choices=ScopeItemStatus.choices)

    class Meta:
        model = ScopeItem
        fields = ["version", "status"]


class AuditEventFilterSet(django_filters.FilterSet):
    cab_id = django_filters.NumberFilter()
    aggregate_type = django_filters.CharFilter(help_text="e.g. accreditation.accreditation")
    aggregate_id = django_filters.CharFilter()
    event_type = django_filters.CharFilter(help_text="e.g. accreditation.suspended")

    class Meta:
        model = AuditEvent
        fields = ["cab_id", "aggregate_type", "aggregate_id", "event_type"]
