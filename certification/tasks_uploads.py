"""The background work of certificate uploads: check and apply one upload's rows.

Registered with Celery by importing this module (``certification.tasks`` imports it, so the
worker's autodiscovery finds it).
"""

from __future__ import annotations

from celery import shared_task
from django.utils import translation

from certification import services_uploads

# 100,000 rows take well under a minute; the limits only stop a worker that hangs.
UPLOAD_TIME_LIMIT = 30 * 60


@shared_task(time_limit=UPLOAD_TIME_LIMIT, soft_time_limit=UPLOAD_TIME_LIMIT - 60)
def process_certificate_upload(upload_id: int, language: str = "zh-hans") -> None:
    """Row messages are written in the language the uploader used on the page or API."""
    with translation.override(language):
        services_uploads.upload_process(upload_id=upload_id)


@shared_task(time_limit=120, soft_time_limit=100)
def interrupt_stale_uploads() -> int:
    """Every few minutes (beat): uploads whose worker died are shown interrupted, ready to resume."""
    return services_uploads.uploads_interrupt_stale()
