"""Background work of the registry: re-check a body's certificates when its accreditation changes."""

from __future__ import annotations

from celery import shared_task

from accreditation.models import Cab
from certification.services_registry import certificates_reevaluate


@shared_task(time_limit=1800, soft_time_limit=1700)
def reevaluate_cb_certificates(cb_id: int) -> int:
    """Re-evaluate every certificate of the body; the number whose verdict changed (0 if it is gone)."""
    cb = Cab.objects.filter(pk=cb_id).first()
    if cb is None:
        return 0
    return certificates_reevaluate(cb=cb)
