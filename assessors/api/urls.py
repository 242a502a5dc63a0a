"""The assessors app's API routes, mounted under /api/ by ``config.api_urls``."""

from rest_framework.routers import SimpleRouter

from assessors.api import urls_findings, urls_reports, views, views_teams

app_name = "assessors_api"

# SimpleRouter: the API root at /api/ belongs to the register's router.
router = SimpleRouter()
router.register("assessors", views.AssessorViewSet, basename="assessor")
router.register("competence-codes", views.CompetenceCodeViewSet, basename="competence-code")
router.register("qualifications", views.QualificationViewSet, basename="qualification")
router.register("competences", views.CompetenceViewSet, basename="competence")
router.register("training-records", views.TrainingRecordViewSet, basename="training-record")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("unavailability", views.UnavailabilityViewSet, basename="unavailability")
router.register("assessments", views_teams.AssessmentViewSet, basename="assessment")
router.register("team-members", views_teams.TeamMemberViewSet, basename="team-member")

urls_reports.register(router)
urls_findings.register(router)

urlpatterns = router.urls
