from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    """Cycle planning, scheduled jobs, sanctions, complaints and appeals (the supervision issue)."""

    name = "surveillance"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # The audit labels and notification messages register on import; a worker finds the tasks
        # through ``tasks.py`` (autodiscovery); the "My work" panels join the dashboard.
        from core.dashboard import register_panels as add_panels
        from surveillance import audit_labels, notifications_complaints, receivers, services_sanctions, tasks  # noqa: F401
        from surveillance.work import register_panels
        from surveillance.work_jobs import register_panels as register_job_panels
        from surveillance.work_sanctions import register_panels as register_sanction_panels

        add_panels(register_panels)
        add_panels(register_sanction_panels)
        add_panels(register_job_panels)
        # Public notices of the register's decisions (grants, extensions, renewals, reductions).
        receivers.connect()
