"""Top-level URLs: pages per app, the API under /api/, the admin and language switching."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for the load balancer and docker-compose."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", include("core.urls")),
    path("", include("accreditation.urls")),
    path("", include("assessors.urls")),
    path("", include("certification.urls")),
    path("", include("surveillance.urls")),
]

# An unmatched address under /api/ answers the API's JSON error; any other, the 404 page.
handler404 = "core.api.exceptions.not_found"
