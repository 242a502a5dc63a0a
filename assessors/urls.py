"""Pages of the assessors app, mounted at the site root by ``config.urls``."""

from django.urls import path

from assessors import urls_findings, urls_reports, views, views_teams

app_name = "assessors"

urlpatterns = [
    path("assessors/", views.AssessorListView.as_view(), name="assessor_list"),
    path("assessors/me/", views.MyProfileView.as_view(), name="my_profile"),
    path("assessors/new/", views.ProfileCreateView.as_view(), name="profile_create"),
    path("assessors/approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
    path("assessors/<int:pk>/", views.AssessorDetailView.as_view(), name="assessor_detail"),
    path("assessors/<int:pk>/edit/", views.ProfileEditView.as_view(), name="profile_edit"),
    path(
        "assessors/<int:pk>/qualifications/new/",
        views.QualificationRequestView.as_view(),
        name="qualification_request",
    ),
    path("assessors/<int:pk>/competences/new/", views.CompetenceRequestView.as_view(), name="competence_request"),
    path("assessors/<int:pk>/training/new/", views.TrainingAddView.as_view(), name="training_add"),
    path("assessors/<int:pk>/conflicts/new/", views.ConflictDeclareView.as_view(), name="conflict_declare"),
    path("assessors/<int:pk>/unavailability/new/", views.UnavailabilityAddView.as_view(), name="unavailability_add"),
    path(
        "assessors/qualifications/<int:pk>/decide/",
        views.QualificationDecideView.as_view(),
        name="qualification_decide",
    ),
    path(
        "assessors/qualifications/<int:pk>/cancel/",
        views.QualificationCancelView.as_view(),
        name="qualification_cancel",
    ),
    path("assessors/competences/<int:pk>/decide/", views.CompetenceDecideView.as_view(), name="competence_decide"),
    path("assessors/competences/<int:pk>/cancel/", views.CompetenceCancelView.as_view(), name="competence_cancel"),
    path("assessors/training/<int:pk>/remove/", views.TrainingRemoveView.as_view(), name="training_remove"),
    path("assessors/conflicts/<int:pk>/end/", views.ConflictEndView.as_view(), name="conflict_end"),
    path(
        "assessors/unavailability/<int:pk>/remove/",
        views.UnavailabilityRemoveView.as_view(),
        name="unavailability_remove",
    ),
    path("assessments/mine/", views_teams.MyAssignmentsView.as_view(), name="my_assignments"),
    path(
        "applications/<int:pk>/plan-assessment/", views_teams.AssessmentCreateView.as_view(), name="assessment_create"
    ),
    path("assessments/<int:pk>/", views_teams.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/propose/", views_teams.TeamProposeView.as_view(), name="team_propose"),
    path("assessments/<int:pk>/reschedule/", views_teams.AssessmentRescheduleView.as_view(), name="reschedule"),
    path("assessments/<int:pk>/confirm/", views_teams.TeamConfirmView.as_view(), name="team_confirm"),
    path("assessments/<int:pk>/members/new/", views_teams.TeamMemberAddView.as_view(), name="team_member_add"),
    path("assessments/members/<int:pk>/remove/", views_teams.TeamMemberRemoveView.as_view(), name="team_member_remove"),
    path("assessments/members/<int:pk>/accept/", views_teams.TeamMemberAcceptView.as_view(), name="team_member_accept"),
    path(
        "assessments/members/<int:pk>/decline/",
        views_teams.TeamMemberDeclineView.as_view(),
        name="team_member_decline",
    ),
    path("assessments/members/<int:pk>/object/", views_teams.TeamMemberObjectView.as_view(), name="team_member_object"),
    path("assessments/members/<int:pk>/rule/", views_teams.ObjectionRuleView.as_view(), name="objection_rule"),
]

# Reports (and remote sessions) and findings (corrective actions) keep their routes in their own modules.
urlpatterns += urls_reports.urlpatterns + urls_findings.urlpatterns
