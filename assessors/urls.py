"""Pages of the assessors app, mounted at the site root by ``config.urls``."""

from django.urls import path

from assessors import views

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
]
