"""The register's API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accreditation.api import applications, decisions, views

app_name = "accreditation_api"

router = DefaultRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("cabs", views.CabViewSet, basename="cab")
router.register("cab-sites", views.CabSiteViewSet, basename="cab-site")
router.register("cab-contacts", views.CabContactViewSet, basename="cab-contact")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("accreditations", views.AccreditationViewSet, basename="accreditation")
router.register("scope-versions", views.ScopeVersionViewSet, basename="scope-version")
router.register("scope-items", views.ScopeItemViewSet, basename="scope-item")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("application-items", applications.ApplicationItemViewSet, basename="application-item")
router.register("application-documents", applications.ApplicationDocumentViewSet, basename="application-document")
router.register("decisions", decisions.DecisionViewSet, basename="decision")
router.register("public/cabs", views.PublicCabViewSet, basename="public-cab")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
