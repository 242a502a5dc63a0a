"""The supervision app's API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from surveillance.api import (
    views_appeals_draws,
    views_complaints,
    views_cycle,
    views_jobs,
    views_notices,
    views_sanctions,
    views_statistics,
)

app_name = "surveillance_api"

# SimpleRouter: the API root at /api/ belongs to the register's router.
router = SimpleRouter()
router.register("complaints", views_complaints.ComplaintViewSet, basename="complaint")
router.register("public/complaints", views_complaints.PublicComplaintViewSet, basename="public-complaint")
router.register("sanctions", views_sanctions.SanctionViewSet, basename="sanction")
router.register("sanction-reasons", views_sanctions.SanctionReasonViewSet, basename="sanction-reason")
router.register("withdrawal-proposals", views_sanctions.WithdrawalProposalViewSet, basename="withdrawal-proposal")
router.register("public/notices", views_notices.PublicNoticeViewSet, basename="public-notice")
router.register("supervision/job-runs", views_jobs.JobRunViewSet, basename="job-run")
router.register("appeals", views_appeals_draws.AppealViewSet, basename="appeal")
router.register("supervision/draws", views_appeals_draws.SupervisionDrawViewSet, basename="supervision-draw")
router.register("supervision/drawn-bodies", views_appeals_draws.DrawnBodyViewSet, basename="drawn-body")
router.register("public/supervision/draws", views_appeals_draws.PublicDrawViewSet, basename="public-supervision-draw")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path("supervision/statistics/", views_statistics.StatisticsAPIView.as_view(), name="statistics"),
    path("supervision/cycle/", views_cycle.CycleAPIView.as_view(), name="cycle"),
    path(
        "supervision/cycle/accreditations/<int:pk>/",
        views_cycle.OnsiteHistoryAPIView.as_view(),
        name="cycle-accreditation",
    ),
    path("supervision/risk/", views_appeals_draws.RiskTableAPIView.as_view(), name="risk-table"),
]
