"""Re-check a certification body's certificates when the register changes its accreditation.

Connected when this module is imported (the app's ``ready``). The register sends both signals
after its change committed (``accreditation.hooks``), so the task sees the new state; the work
itself runs in Celery.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accreditation import hooks
from accreditation.models import Accreditation


def _enqueue_for_accreditation(accreditation_id: int) -> None:
    from certification.tasks_registry import reevaluate_cb_certificates

    cb_id = Accreditation.objects.filter(pk=accreditation_id).values_list("cab_id", flat=True).first()
    if cb_id is not None:
        transaction.on_commit(lambda: reevaluate_cb_certificates.delay(cb_id))


def on_accreditation_status_changed(sender: Any, *, accreditation_id: int, **kwargs: Any) -> None:
    _enqueue_for_accreditation(accreditation_id)


def on_scope_version_published(sender: Any, *, accreditation_id: int, **kwargs: Any) -> None:
    _enqueue_for_accreditation(accreditation_id)


hooks.accreditation_status_changed.connect(
    on_accreditation_status_changed, dispatch_uid="certification.registry.status_changed"
)
hooks.scope_version_published.connect(on_scope_version_published, dispatch_uid="certification.registry.scope_published")
