"""Pages of the certification app, mounted at the site root by ``config.urls``.

Each part of the certificates issue keeps its own module (``urls_registry``, ``urls_uploads``,
``urls_lookup``) so that they can be written side by side; this module only joins them.
"""

from django.urls import URLPattern, path

from certification import urls_lookup, urls_registry, urls_uploads, views_certificates

app_name = "certification"

urlpatterns: list[URLPattern] = [
    # Accreditation certificates: the public verification and signing key (no login).
    path("certificates/verify/<str:number>/", views_certificates.CertificateVerifyView.as_view(), name="verify"),
    path(
        "certificates/verify/<str:number>/pdf/", views_certificates.CertificateDownloadView.as_view(), name="download"
    ),
    path("certificates/public-key/", views_certificates.PublicKeyView.as_view(), name="public_key"),
    path("certificates/public-key.pem", views_certificates.PublicKeyPemView.as_view(), name="public_key_pem"),
    # Accreditation certificates in the register.
    path(
        "register/accreditations/<int:pk>/certificates/",
        views_certificates.AccreditationCertificateListView.as_view(),
        name="accreditation_certificates",
    ),
    path(
        "register/accreditations/<int:pk>/certificates/current/",
        views_certificates.CurrentCertificateView.as_view(),
        name="current_certificate",
    ),
    path(
        "register/accreditations/<int:pk>/certificates/reissue/",
        views_certificates.CertificateReissueView.as_view(),
        name="certificate_reissue",
    ),
    path(
        "register/accreditation-certificates/<int:pk>/retry/",
        views_certificates.CertificateRetryView.as_view(),
        name="certificate_retry",
    ),
]
urlpatterns += urls_registry.urlpatterns + urls_uploads.urlpatterns + urls_lookup.urlpatterns
