"""Pages of the public certificate lookup (no login), appended to ``certification.urls``."""

from django.urls import URLPattern, path

from certification import views_lookup

urlpatterns: list[URLPattern] = [
    path("certificates/", views_lookup.CertificateLookupView.as_view(), name="lookup"),
    path("certificates/<int:pk>/", views_lookup.CertificateDetailView.as_view(), name="lookup_certificate"),
]
