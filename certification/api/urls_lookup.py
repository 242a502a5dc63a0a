"""API routes of the public certificate lookup, registered on the certification router by
``certification.api.urls``."""

from rest_framework.routers import SimpleRouter

from certification.api.views_lookup import PublicCertificateViewSet


def register(router: SimpleRouter) -> None:
    """``/api/public/certificates/`` and ``/api/public/certificates/{id}/``."""
    router.register("public/certificates", PublicCertificateViewSet, basename="public-certificate")
