"""Filters shared by the register's pages and its API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus, CabKind, CabStatus, Province
from accreditation.models import Accreditation, Cab, Programme


class CabFilterSet(django_filters.FilterSet):
    """Secretariat's CAB list: a text box plus province, kind, status and programme."""

    q = django_filters.CharFilter(
        label=_("Name, credit code or accreditation number"), method="filter_text", max_length=100
    )
    province = django_filters.ChoiceFilter(label=_("Province"), choices=Province.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CabKind.choices)
    status = django_filters.ChoiceFilter(label=_("CAB status"), choices=CabStatus.choices)
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="code",
        field_name="accreditations__programme",
        distinct=True,
    )
    accreditation_status = django_filters.ChoiceFilter(
        label=_("Accreditation status"),
        choices=AccreditationStatus.choices,
        field_name="accreditations__status",
        distinct=True,
    )

    class Meta:
        model = Cab
        fields = ["q", "province", "kind", "status", "programme", "accreditation_status"]

    def filter_text(self, queryset: QuerySet[Cab], name: str, value: str) -> QuerySet[Cab]:
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__contains=value)
            | Q(name_en__icontains=value)
            | Q(credit_code=value.upper())
            | Q(pk__in=Accreditation.objects.filter(number__icontains=value).values("cab_id"))
        )


class AccreditationFilterSet(django_filters.FilterSet):
    cab = django_filters.NumberFilter(field_name="cab_id", label=_("CAB"))
    programme = django_filters.CharFilter(field_name="programme__code", label=_("Programme"))
    status = django_filters.ChoiceFilter(choices=AccreditationStatus.choices, label=_("Status"))
    number = django_filters.CharFilter(field_name="number", lookup_expr="iexact", label=_("Accreditation number"))

    class Meta:
        model = Accreditation
        fields = ["cab", "programme", "status", "number"]
