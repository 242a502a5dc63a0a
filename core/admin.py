from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), (_("Portal"), {"fields": ("full_name",)}))
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by services, never by hand. Newest first by ``id`` (``sequence``
    is empty until the event is sealed into the chain, a moment after its transaction commits)."""

    list_display = ("id", "sequence", "occurred_at", "actor_label", "event_type", "aggregate_type", "aggregate_id")
    list_filter = ("event_type", "aggregate_type")
    search_fields = ("aggregate_id", "actor_label", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
