"""Staff maintenance of applications: holidays are edited here; applications are only read.

Imported by ``accreditation.admin`` so that the admin's autodiscovery registers these.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accreditation.models import Application, Holiday
from core.roles import is_secretariat


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Public holidays the acceptance-review deadlines skip; the secretariat keeps the list."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_secretariat(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_secretariat(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications change only through their services (and the audit trail): read-only here."""

    list_display = ["reference", "cab", "programme", "type", "status", "submitted_at", "review_due_on"]
    list_filter = ["status", "type", "programme"]
    search_fields = ["reference", "cab__name_zh"]
    list_select_related = ["cab", "programme"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
