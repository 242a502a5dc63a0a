from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    """The register: programmes, CABs, accreditations and their versioned scopes."""

    name = "accreditation"
    verbose_name = _("Accreditation register")

    def ready(self) -> None:
        from accreditation.work import register_panels
        from core.dashboard import register_panels as add_panels

        add_panels(register_panels)
