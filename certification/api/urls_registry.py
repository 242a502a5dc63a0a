"""API routes of the registry of CB-issued certificates, registered on the certification router."""

from rest_framework.routers import SimpleRouter

from certification.api.views_registry import IssuedCertificateViewSet


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the app's router."""
    router.register("issued-certificates", IssuedCertificateViewSet, basename="issued-certificate")
