"""The supervision app's API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from surveillance.api import views_complaints

app_name = "surveillance_api"

# SimpleRouter: the API root at /api/ belongs to the register's router.
router = SimpleRouter()
router.register("complaints", views_complaints.ComplaintViewSet, basename="complaint")
router.register("public/complaints", views_complaints.PublicComplaintViewSet, basename="public-complaint")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
