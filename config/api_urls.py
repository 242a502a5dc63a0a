"""Everything under /api/: each app's API routes, the OpenAPI schema and its Swagger UI.

The Swagger UI's scripts come from drf-spectacular-sidecar (static files), so the docs work
on a network without internet access.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("core.api.urls")),
    path("", include("accreditation.api.urls")),
    path("", include("assessors.api.urls")),
    path("", include("certification.api.urls")),
    path("", include("surveillance.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
