from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    """The register: programmes, CABs, accreditations and their versioned scopes."""

    name = "accreditation"
    verbose_name = _("Accreditation register")

    def ready(self) -> None:
        # The notification messages and audit labels register themselves on import (see AssessorsConfig).
        from accreditation import audit_labels, notifications  # noqa: F401
        from accreditation.work import register_panels
        from core.dashboard import register_panels as add_panels

        add_panels(register_panels)
