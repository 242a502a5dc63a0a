"""Staff maintenance. Register data is read-only here: it changes through the services (and
so through the audit trail) on the register pages and the API. Programmes are edited here,
through ``programme_update``, which audits the change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest

from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabMembership,
    CabSite,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from accreditation.services.programmes import PROGRAMME_FIELDS, check_number_pattern, programme_update
from core.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProgrammeAdminForm(ModelForm):
    """Checks the number pattern before saving, so a bad one is a form error, not a failed save."""

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS

    def clean_number_pattern(self) -> str:
        pattern: str = self.cleaned_data["number_pattern"]
        try:
            check_number_pattern(pattern)
        except DomainError as exc:
            raise ValidationError(str(exc.message), code=exc.code) from exc
        return pattern


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "standard", "number_pattern", "certificate_validity_months")
    form = ProgrammeAdminForm
    readonly_fields = ("code", "cab_kind", "scope_shape")
    fields = ("code", "cab_kind", "scope_shape", *PROGRAMME_FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Programme, form: ModelForm, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in PROGRAMME_FIELDS}
        try:
            programme_update(programme=Programme.objects.get(pk=obj.pk), actor=request.user, **values)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc.message))


class SiteInline(ReadOnlyInline):
    model = CabSite


class ContactInline(ReadOnlyInline):
    model = CabContact


class MembershipInline(ReadOnlyInline):
    model = CabMembership


@admin.register(Cab)
class CabAdmin(ReadOnlyAdmin):
    list_display = ("name_zh", "name_en", "credit_code", "province", "kind", "status")
    list_filter = ("status", "kind", "province")
    search_fields = ("name_zh", "name_en", "credit_code")
    inlines = [SiteInline, ContactInline, MembershipInline]


@admin.register(Accreditation)
class AccreditationAdmin(ReadOnlyAdmin):
    list_display = ("number", "cab", "programme", "status", "granted_on", "cycle_end")
    list_filter = ("status", "programme")
    search_fields = ("number", "cab__name_zh", "cab__name_en")
    list_select_related = ("cab", "programme")


class ScopeItemInline(ReadOnlyInline):
    model = ScopeItem
    fields = ("position", "status", "attributes", "key")


@admin.register(ScopeVersion)
class ScopeVersionAdmin(ReadOnlyAdmin):
    list_display = ("accreditation", "issue_number", "status", "issued_on")
    list_filter = ("status",)
    list_select_related = ("accreditation",)
    inlines = [ScopeItemInline]


from accreditation import admin_applications  # noqa: E402, F401  (registers the application admins)
