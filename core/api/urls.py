"""Core API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from core.api.views import NotificationViewSet, PublicAuditCheckpointViewSet, TokenObtainView

app_name = "core_api"

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("public/audit-checkpoints", PublicAuditCheckpointViewSet, basename="public-audit-checkpoint")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    *router.urls,
]
