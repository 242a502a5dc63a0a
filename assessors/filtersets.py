"""Filters of the assessor list, shared by the secretariat's page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.choices import Province
from accreditation.models import Programme
from assessors.choices import CompetenceStatus, QualificationRole, QualificationStatus
from assessors.models import AssessorProfile, Competence, Qualification


class AssessorFilterSet(django_filters.FilterSet):
    """Approved qualifications and competences only: a pending request qualifies nobody."""

    q = django_filters.CharFilter(label=_("Name, username or employer"), method="filter_text", max_length=100)
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.all(), to_field_name="code", method="filter_programme"
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=QualificationRole.choices, method="filter_role")
    code = django_filters.CharFilter(label=_("Competence code"), method="filter_code", max_length=40)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Province.choices)

    class Meta:
        model = AssessorProfile
        fields = ["q", "programme", "role", "code", "region"]

    def filter_text(self, queryset: QuerySet[AssessorProfile], name: str, value: str) -> QuerySet[AssessorProfile]:
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(
            Q(user__full_name__icontains=value) | Q(user__username__icontains=value) | Q(employer__icontains=value)
        )

    def _ignore(self, queryset: QuerySet[AssessorProfile], name: str, value: object) -> QuerySet[AssessorProfile]:
        """Programme and role are applied together in ``filter_queryset``."""
        return queryset

    filter_programme = filter_role = _ignore

    def filter_queryset(self, queryset: QuerySet[AssessorProfile]) -> QuerySet[AssessorProfile]:
        # "Programme CL, role lead assessor" means one qualification holding both, not one of each.
        queryset = super().filter_queryset(queryset)
        conditions = {
            name: self.form.cleaned_data[name] for name in ("programme", "role") if self.form.cleaned_data.get(name)
        }
        if not conditions:
            return queryset
        qualified = Qualification.objects.filter(status=QualificationStatus.APPROVED, **conditions)
        return queryset.filter(pk__in=qualified.values("assessor_id"))

    def filter_code(self, queryset: QuerySet[AssessorProfile], name: str, value: str) -> QuerySet[AssessorProfile]:
        value = " ".join(value.split())
        if not value:
            return queryset
        held = Competence.objects.filter(status=CompetenceStatus.APPROVED).filter(
            Q(code__code__iexact=value) | Q(code__name_zh=value)
        )
        return queryset.filter(pk__in=held.values("assessor_id"))
