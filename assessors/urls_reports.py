"""Pages of assessment reports and remote-assessment details, included by ``assessors.urls`` (``assessors:``)."""

from django.urls import URLPattern, path

from assessors import views_reports

urlpatterns: list[URLPattern] = [
    path("assessments/<int:pk>/report/start/", views_reports.ReportStartView.as_view(), name="report_start"),
    path(
        "assessments/<int:pk>/remote-details/",
        views_reports.RemoteDetailsEditView.as_view(),
        name="remote_details_edit",
    ),
    path(
        "assessments/<int:pk>/remote-sessions/new/",
        views_reports.RemoteSessionAddView.as_view(),
        name="remote_session_add",
    ),
    path(
        "assessments/remote-sessions/<int:pk>/remove/",
        views_reports.RemoteSessionRemoveView.as_view(),
        name="remote_session_remove",
    ),
    path("reports/<int:pk>/", views_reports.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", views_reports.ReportEditView.as_view(), name="report_edit"),
    path(
        "reports/<int:pk>/items/<int:item_pk>/recommendation/",
        views_reports.ReportRecommendationView.as_view(),
        name="report_recommendation",
    ),
    path("reports/<int:pk>/findings/new/", views_reports.FindingAddView.as_view(), name="finding_add"),
    path("reports/findings/<int:pk>/edit/", views_reports.FindingEditView.as_view(), name="finding_edit"),
    path("reports/findings/<int:pk>/remove/", views_reports.FindingRemoveView.as_view(), name="finding_remove"),
    path(
        "reports/<int:pk>/attachments/new/",
        views_reports.ReportAttachmentAddView.as_view(),
        name="report_attachment_add",
    ),
    path(
        "reports/attachments/<int:pk>/",
        views_reports.ReportAttachmentDownloadView.as_view(),
        name="report_attachment_download",
    ),
    path(
        "reports/attachments/<int:pk>/remove/",
        views_reports.ReportAttachmentRemoveView.as_view(),
        name="report_attachment_remove",
    ),
    path("reports/<int:pk>/submit/", views_reports.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/amend/", views_reports.ReportAmendView.as_view(), name="report_amend"),
]
