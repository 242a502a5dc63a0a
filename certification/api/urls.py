"""The certification app's API routes, mounted under /api/ by ``config.api_urls``.

Each part of the certificates issue registers its viewsets from its own module (``urls_registry``,
``urls_uploads``, ``urls_lookup``) and may add plain routes in an ``extra_urlpatterns`` list.
"""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from certification.api import urls_lookup, urls_registry, urls_uploads, views_certificates

app_name = "certification_api"

# SimpleRouter: the API root at /api/ belongs to the register's router.
router = SimpleRouter()
router.register(
    "accreditation-certificates",
    views_certificates.AccreditationCertificateViewSet,
    basename="accreditation-certificate",
)
router.register(
    "public/accreditation-certificates",
    views_certificates.PublicAccreditationCertificateViewSet,
    basename="public-accreditation-certificate",
)

urls_registry.register(router)
urls_uploads.register(router)
urls_lookup.register(router)

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "public/certificate-key/",
        views_certificates.CertificatePublicKeyView.as_view(),
        name="public-certificate-key",
    ),
    *router.urls,
]
for _module in (urls_registry, urls_uploads, urls_lookup):
    urlpatterns += getattr(_module, "extra_urlpatterns", [])
