"""Everything under /api/: each app's API routes, the OpenAPI schema and its Swagger UI.

The Swagger UI's scripts come from drf-spectacular-sidecar (static files), so the docs work
on a network without internet access.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The split view serves Swagger UI's start-up script as a file from the same address
# (``?script=``), so the Content-Security-Policy needs no inline script; its page keeps one
# inline <style> block (box sizing and margins), allowed here and nowhere else.
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("", include("core.api.urls")),
    path("", include("accreditation.api.urls")),
    path("", include("assessors.api.urls")),
    path("", include("certification.api.urls")),
    path("", include("surveillance.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_ui, name="api-docs"),
]
