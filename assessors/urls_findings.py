"""Pages of assessment findings, included by ``assessors.urls`` (namespace ``assessors``)."""

from django.urls import URLPattern, path

from assessors import views_findings

urlpatterns: list[URLPattern] = [
    path("assessments/<int:pk>/findings/", views_findings.FindingListView.as_view(), name="finding_list"),
    path(
        "assessments/<int:pk>/close-after-deadline/",
        views_findings.AssessmentCloseAfterDeadlineView.as_view(),
        name="assessment_close_after_deadline",
    ),
    path("findings/to-answer/", views_findings.FindingsToAnswerView.as_view(), name="findings_to_answer"),
    path("findings/to-review/", views_findings.AnswersToReviewView.as_view(), name="answers_to_review"),
    path(
        "findings/corrective-actions/",
        views_findings.CorrectiveActionQueueView.as_view(),
        name="corrective_action_queue",
    ),
    path("findings/<int:pk>/", views_findings.FindingDetailView.as_view(), name="finding_detail"),
    path(
        "findings/<int:pk>/answer/",
        views_findings.CorrectiveActionSubmitView.as_view(),
        name="corrective_action_submit",
    ),
    path(
        "corrective-actions/<int:pk>/review/",
        views_findings.CorrectiveActionReviewView.as_view(),
        name="corrective_action_review",
    ),
    path(
        "corrective-actions/attachments/<int:pk>/",
        views_findings.CorrectiveActionAttachmentDownloadView.as_view(),
        name="corrective_action_attachment_download",
    ),
]
