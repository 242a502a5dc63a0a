"""Drill: the Celery worker applying a CB's upload of 40,000 certificates is killed (SIGKILL) mid-apply.

A real worker process takes the upload from Redis; once its first chunks have committed, its
whole process group is killed, as the OOM killer or a lost machine would. Nothing can be written
at that moment, so the upload is left *applying*. When it has shown no progress for
``STALE_AFTER`` (here the heartbeat is moved back by that much: the ten minutes pass), its page,
its status and the API call it *interrupted* and say up to which row it applied, and the counts
they show are the certificates in the register. Ming, the CB's clerk, resumes it; a new worker
applies the rest, and the upload ends complete with each certificate once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from accreditation.models import Cab
from certification.choices import UploadStatus
from certification.models import CertificateStatusChange, CertificateUpload, IssuedCertificate
from certification.services_uploads import CHUNK_ROWS, STALE_AFTER, upload_create
from core.audit import verify_chain
from core.models import User
from tests.certification.uploads_helpers import cb_member, cert_row, csv_bytes, new_certification_body, uploaded
from tests.drills.harness import NEEDS_REDIS, ON_POSTGRES, celery_worker, kill, wait_until

pytestmark = [*ON_POSTGRES, NEEDS_REDIS]

ROWS = 40_000


def _upload(upload_id: int) -> CertificateUpload:
    return CertificateUpload.objects.get(pk=upload_id)


def _applied_some_but_not_all(upload_id: int) -> bool:
    upload = _upload(upload_id)
    return upload.status == UploadStatus.APPLYING and upload.applied_through_row > 0


def test_an_upload_whose_worker_is_killed_says_it_was_interrupted_at_which_row_and_resumes_to_completion(
    drill_queue: str, tmp_path: Path
) -> None:
    cb: Cab = new_certification_body()
    ming: User = cb_member(cb)
    data = csv_bytes([cert_row(n) for n in range(1, ROWS + 1)])
    log = tmp_path / "worker.log"

    # Given a worker applying the upload, killed once its first chunk has committed.
    with celery_worker(drill_queue, log) as worker:
        upload = upload_create(cb=cb, actor=ming, file=uploaded(data))
        wait_until(lambda: _applied_some_but_not_all(upload.pk), timeout=240, what="the first chunk", log=log)
        kill(worker)
    stopped = _upload(upload.pk)
    applied_through = stopped.applied_through_row

    # Nothing silent: what the counters say was applied is exactly what the register holds.
    assert stopped.status == UploadStatus.APPLYING
    assert applied_through % CHUNK_ROWS == 1  # rows are numbered from 2 (the header is row 1)
    assert 0 < stopped.applied_rows < ROWS
    assert stopped.applied_rows == applied_through - 1
    assert IssuedCertificate.objects.filter(cb=cb).count() == stopped.applied_rows

    # When: ten minutes pass with no sign of life (the heartbeat is moved back by that much).
    CertificateUpload.objects.filter(pk=upload.pk).update(
        heartbeat_at=F("heartbeat_at") - STALE_AFTER - dt.timedelta(seconds=1)
    )
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(ming)
    status = page.get(f"/certificate-uploads/{upload.pk}/status/").json()
    detail = page.get(f"/certificate-uploads/{upload.pk}/").content.decode()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(ming)
    api_state: dict[str, Any] = api.get(f"/api/certificate-uploads/{upload.pk}/").json()

    # Then the page, the progress bar and the API say it was interrupted and up to which row it applied.
    assert (status["status"], status["running"], status["applied_through_row"]) == (
        "interrupted",
        False,
        applied_through,
    )
    assert (
        f"The valid rows up to row {applied_through} were applied ({stopped.applied_rows} rows); "
        "no row after it was. Resume the upload to apply the rest."
    ) in detail
    assert "Resume the upload</button>" in detail
    assert (api_state["status"], api_state["applied_through_row"], api_state["applied_rows"]) == (
        "interrupted",
        applied_through,
        stopped.applied_rows,
    )
    assert f"up to row {applied_through} were applied" in api_state["failure"]

    # When Ming resumes it and a new worker takes it.
    with celery_worker(drill_queue, log):
        response = page.post(f"/certificate-uploads/{upload.pk}/resume/")
        assert (response.status_code, response["Location"]) == (302, f"/certificate-uploads/{upload.pk}/")
        wait_until(
            lambda: _upload(upload.pk).status == UploadStatus.DONE, timeout=240, what="the resumed upload", log=log
        )

    # Then it is complete, each certificate once, and the counts are the register's.
    done = _upload(upload.pk)
    assert (done.total_rows, done.processed_rows, done.applied_rows, done.error_rows) == (ROWS, ROWS, ROWS, 0)
    assert done.applied_through_row == ROWS + 1
    certificates = IssuedCertificate.objects.filter(cb=cb)
    assert certificates.count() == ROWS
    assert certificates.values("identity_number").distinct().count() == ROWS
    # One "issued" history row per certificate: the rows applied before the kill were not applied twice.
    assert CertificateStatusChange.objects.filter(certificate__cb=cb).count() == ROWS
    assert verify_chain().ok
