"""Drill: a CB uploads the same file twice at once (a double click, or two clerks), and two workers apply both.

Ming sends the same 12,000-row spreadsheet twice; two workers (two threads, each with its own
database connection, released together by a barrier) run the upload task on the two uploads at
the same moment, on PostgreSQL, their chunks of 5,000 rows interleaving on the same certificates.
The end state must have each certificate once with one "issued" history entry, both uploads
finished ``done`` with counts that say every row was applied, and nothing half-done or failed.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from certification import services_uploads
from certification.choices import UploadStatus
from certification.models import (
    CertificateStatusChange,
    CertificateUpload,
    CertifiedEntity,
    IssuedCertificate,
    UploadRowError,
)
from certification.tasks_uploads import process_certificate_upload
from tests.certification.uploads_helpers import cb_member, cert_row, csv_bytes, new_certification_body, uploaded
from tests.drills.harness import ON_POSTGRES

pytestmark = ON_POSTGRES

ROWS = 12_000


def test_the_same_file_uploaded_twice_at_once_ends_with_each_certificate_once_and_both_uploads_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cb = new_certification_body()
    ming = cb_member(cb)
    data = csv_bytes([cert_row(n) for n in range(1, ROWS + 1)])
    # The uploads are stored and queued as the page does; the two workers below take them.
    queued: list[int] = []
    monkeypatch.setattr(services_uploads, "_enqueue", lambda upload_id, language: queued.append(upload_id))
    uploads = [services_uploads.upload_create(cb=cb, actor=ming, file=uploaded(data)) for _ in range(2)]
    assert queued == [upload.pk for upload in uploads]

    barrier = threading.Barrier(2)
    errors: list[Any] = []

    def worker(upload_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            process_certificate_upload(upload_id, "en")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(upload_id,)) for upload_id in queued]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    # Both uploads finished, each saying every row was applied; neither failed nor stopped half-way.
    assert errors == []
    finished = list(CertificateUpload.objects.filter(pk__in=queued).order_by("pk"))
    assert [(u.status, u.total_rows, u.processed_rows, u.applied_rows, u.error_rows, u.failure) for u in finished] == [
        (UploadStatus.DONE, ROWS, ROWS, ROWS, 0, "")
    ] * 2
    assert not UploadRowError.objects.filter(upload__in=finished).exists()
    # They did run at the same time: each started before the other finished.
    started = [u.started_at for u in finished if u.started_at is not None]
    ended = [u.finished_at for u in finished if u.finished_at is not None]
    assert len(started) == len(ended) == 2
    assert max(started) < min(ended)
    # Each certificate and each certified entity once, each certificate with one "issued" history entry.
    certificates = IssuedCertificate.objects.filter(cb=cb)
    assert certificates.count() == ROWS
    assert certificates.values("identity_number").distinct().count() == ROWS
    assert CertifiedEntity.objects.filter(cb=cb).count() == ROWS
    assert CertificateStatusChange.objects.filter(certificate__cb=cb).count() == ROWS
    # Every certificate was last reported by one of the two uploads.
    assert set(certificates.values_list("last_upload_id", flat=True)) <= set(queued)
