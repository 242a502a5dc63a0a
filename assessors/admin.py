"""Staff maintenance. Assessors' records change through the services (audited) on the pages and
the API, so they are read-only here; the competence code lists are configuration, edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accreditation.admin import ReadOnlyAdmin
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)


@admin.register(CompetenceCode)
class CompetenceCodeAdmin(admin.ModelAdmin):
    list_display = ["programme", "code", "name_zh", "name_en", "position", "is_active"]
    list_filter = ["programme", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]
    ordering = ["programme__code", "position", "code"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Held competences point at their code: retire a code with "in use" instead.
        return False


@admin.register(AssessorProfile)
class AssessorProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "region", "employer"]
    list_filter = ["region"]
    search_fields = ["user__username", "user__full_name", "employer"]


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "programme", "role", "status", "valid_from", "valid_until"]
    list_filter = ["programme", "role", "status"]


@admin.register(Competence)
class CompetenceAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "code", "status"]
    list_filter = ["status", "code__programme"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "title", "provider", "date", "hours"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "cab", "kind", "started_on", "ended_on"]
    list_filter = ["kind"]


@admin.register(Unavailability)
class UnavailabilityAdmin(ReadOnlyAdmin):
    list_display = ["assessor", "start", "end", "reason"]
