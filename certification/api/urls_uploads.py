"""API routes of certificate uploads, registered on the certification router by ``certification.api.urls``."""

from rest_framework.routers import SimpleRouter

from certification.api import views_uploads


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the app's router."""
    router.register("certificate-uploads", views_uploads.CertificateUploadViewSet, basename="certificate-upload")
