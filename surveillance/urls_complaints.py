"""Pages of complaints, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_complaints as views

urlpatterns: list[URLPattern] = [
    # The public (no login).
    path("complaints/new/", views.PublicComplaintView.as_view(), name="complaint_new"),
    path("complaints/received/", views.ComplaintReceiptView.as_view(), name="complaint_receipt"),
    path("complaints/status/", views.ComplaintStatusLookupView.as_view(), name="complaint_status_lookup"),
    path("complaints/status/<str:tracking>/", views.ComplaintStatusView.as_view(), name="complaint_status"),
    # CAB users, and anyone signed in for their own.
    path("complaints/submit/", views.CabComplaintView.as_view(), name="complaint_cab_new"),
    path("complaints/mine/", views.MyComplaintsView.as_view(), name="complaint_mine"),
    # The accreditation body's staff.
    path("complaints/", views.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/record/", views.StaffComplaintRecordView.as_view(), name="complaint_record"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/acknowledge/", views.ComplaintAcknowledgeView.as_view(), name="complaint_acknowledge"),
    path("complaints/<int:pk>/investigate/", views.ComplaintInvestigateView.as_view(), name="complaint_investigate"),
    path("complaints/<int:pk>/resolve/", views.ComplaintResolveView.as_view(), name="complaint_resolve"),
    path(
        "complaints/<int:pk>/special-assessment/",
        views.ComplaintSpecialAssessmentView.as_view(),
        name="complaint_special_assessment",
    ),
    path(
        "complaints/attachments/<int:pk>/",
        views.ComplaintAttachmentDownloadView.as_view(),
        name="complaint_attachment",
    ),
]
