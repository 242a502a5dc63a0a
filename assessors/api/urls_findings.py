"""API routes of assessment findings, registered on the assessors router by ``assessors.api.urls``."""

from rest_framework.routers import SimpleRouter

from assessors.api import views_findings


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the app's router."""
    router.register("findings", views_findings.FindingViewSet, basename="finding")
    router.register("corrective-actions", views_findings.CorrectiveActionViewSet, basename="corrective-action")
