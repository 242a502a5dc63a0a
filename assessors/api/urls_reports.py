"""API routes of assessment reports, registered on the assessors router by ``assessors.api.urls``."""

from rest_framework.routers import SimpleRouter

from assessors.api import views_reports


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the app's router."""
    router.register("reports", views_reports.ReportViewSet, basename="report")
    router.register("report-attachments", views_reports.ReportAttachmentViewSet, basename="report-attachment")
    # ``findings`` (reading and answering) belongs to the corrective actions' API.
    router.register("report-findings", views_reports.ReportFindingViewSet, basename="report-finding")
    router.register("remote-sessions", views_reports.RemoteSessionViewSet, basename="remote-session")
