"""Background work of the certification app: tasks take ids, re-fetch and call one service."""

from __future__ import annotations

from celery import shared_task

from certification.services_certificates import accreditation_certificate_render


# WeasyPrint renders a certificate with its scope annex in a second or two; a scope of thousands
# of items takes longer, hence the generous limit.
@shared_task(time_limit=300, soft_time_limit=270)
def render_accreditation_certificate(certificate_id: int) -> None:
    """Render a pending certificate's PDF; a certificate already rendered (or failed) is left alone."""
    accreditation_certificate_render(certificate_id=certificate_id)
