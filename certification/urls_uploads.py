"""Pages of certificate uploads, appended to ``certification.urls`` (``certification:``)."""

from django.urls import URLPattern, path

from certification import views_uploads

urlpatterns: list[URLPattern] = [
    path("certificate-uploads/", views_uploads.UploadListView.as_view(), name="upload_list"),
    path("certificate-uploads/new/", views_uploads.UploadCreateView.as_view(), name="upload_create"),
    path("certificate-uploads/template/", views_uploads.UploadTemplateView.as_view(), name="upload_template"),
    path("certificate-uploads/<int:pk>/", views_uploads.UploadDetailView.as_view(), name="upload_detail"),
    path("certificate-uploads/<int:pk>/status/", views_uploads.UploadStatusView.as_view(), name="upload_status"),
    path("certificate-uploads/<int:pk>/resume/", views_uploads.UploadResumeView.as_view(), name="upload_resume"),
    path(
        "certificate-uploads/<int:pk>/errors.csv",
        views_uploads.UploadErrorsDownloadView.as_view(),
        name="upload_errors_download",
    ),
]
