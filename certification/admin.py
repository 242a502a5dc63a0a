"""Staff maintenance of the certification app: the standards certificates are reported against.

Standards are reference data (code, titles, aliases, the accrediting programme) that the
secretariat keeps current here; certificates and uploads change only through their services.
"""

from __future__ import annotations

from django.contrib import admin

from certification.models import Standard


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh", "certification_type", "programme", "is_active"]
    list_filter = ["certification_type", "programme", "is_active"]
    search_fields = ["code", "title_zh", "title_en"]
    fields = ["code", "title_zh", "title_en", "certification_type", "programme", "aliases", "is_active"]
