"""Core API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from core.api.views import NotificationViewSet, TokenObtainView

app_name = "core_api"

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    *router.urls,
]
