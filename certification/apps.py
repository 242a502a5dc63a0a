from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Accreditation certificates, CB-issued certificates, uploads and the public lookup (the certificates issue)."""

    name = "certification"
    verbose_name = _("Certificates")
