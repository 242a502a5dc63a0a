"""Core API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import path

from core.api.views import TokenObtainView

app_name = "core_api"

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
]
