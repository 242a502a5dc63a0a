"""An upload whose worker died: detected by its old heartbeat, shown interrupted, resumed after its last applied row.

The drill with a real worker killed mid-upload is ``tests/drills/test_worker_killed_during_upload.py``;
these are the rules around it, in-process.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accreditation.models import Cab
from certification import services_registry, services_uploads
from certification.choices import UploadFormat, UploadStatus
from certification.models import CertificateStatusChange, CertificateUpload, IssuedCertificate
from certification.services_uploads import STALE_AFTER, upload_process, upload_resume, uploads_interrupt_stale
from core.errors import NotPermitted, StateConflict
from core.models import AuditEvent, User
from tests.certification.registry_helpers import accredit_for_management_systems
from tests.certification.uploads_helpers import cb_member, cert_row, csv_bytes, new_certification_body, run_upload

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(seconds=1) + STALE_AFTER


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = new_certification_body()
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def ming(cb: Cab) -> User:
    """Ming, a member of the certification body ``cb``."""
    return cb_member(cb)


def _working(cb: Cab, ming: User, *, status: str = UploadStatus.APPLYING, since: dt.timedelta) -> CertificateUpload:
    return CertificateUpload.objects.create(
        cb=cb,
        format=UploadFormat.CSV,
        status=status,
        total_rows=10_000,
        processed_rows=5_000,
        applied_rows=5_000,
        applied_through_row=5_001,
        file="certificate-uploads/0123456789abcdef.csv",
        uploaded_by=ming,
        started_at=timezone.now() - since,
        heartbeat_at=timezone.now() - since,
    )


@pytest.fixture
def stopped_after_the_first_chunk(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> CertificateUpload:
    """Five rows (rows 2 to 6) in chunks of two, stopped while applying the second chunk."""
    monkeypatch.setattr(services_uploads, "CHUNK_ROWS", 2)
    real_apply = services_registry.certificates_apply

    def dies_in_the_second_chunk(**kwargs: Any) -> int:
        if kwargs["rows"][0].row == 4:
            raise RuntimeError("killed")
        return real_apply(**kwargs)

    monkeypatch.setattr(services_registry, "certificates_apply", dies_in_the_second_chunk)
    upload = run_upload(
        cb, ming, csv_bytes([cert_row(n) for n in range(1, 6)]), capture=django_capture_on_commit_callbacks
    )
    monkeypatch.setattr(services_registry, "certificates_apply", real_apply)
    assert (upload.status, upload.applied_through_row, upload.applied_rows) == (UploadStatus.FAILED, 3, 2)
    return upload


def test_a_second_delivery_of_the_task_leaves_an_upload_with_a_recent_heartbeat_to_its_worker(
    cb: Cab, ming: User
) -> None:
    upload = _working(cb, ming, since=dt.timedelta(seconds=30))

    assert upload_process(upload_id=upload.pk) is None

    upload.refresh_from_db()
    assert (upload.status, upload.applied_rows, upload.applied_through_row) == (UploadStatus.APPLYING, 5_000, 5_001)


def test_the_watchdog_marks_interrupted_only_uploads_without_progress_for_ten_minutes(cb: Cab, ming: User) -> None:
    stale = _working(cb, ming, since=LONG_AGO)
    busy = _working(cb, ming, since=STALE_AFTER - dt.timedelta(seconds=30))
    waiting = _working(cb, ming, status=UploadStatus.QUEUED, since=LONG_AGO)

    assert uploads_interrupt_stale() == 1

    statuses = dict(CertificateUpload.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: UploadStatus.INTERRUPTED,
        busy.pk: UploadStatus.APPLYING,
        waiting.pk: UploadStatus.QUEUED,
    }
    stale.refresh_from_db()
    assert stale.failure.endswith(
        "The valid rows up to row 5001 were applied (5000 rows); no row after it was. "
        "Resume the upload to apply the rest."
    )
    assert stale.failure.startswith("The processing was interrupted: it has shown no progress since ")
    assert AuditEvent.objects.filter(event_type="certificate_upload.interrupted", aggregate_id=str(stale.pk)).exists()
    assert uploads_interrupt_stale() == 0


def test_resuming_applies_only_the_rows_after_the_last_applied_one_and_ends_complete(
    cb: Cab,
    ming: User,
    stopped_after_the_first_chunk: CertificateUpload,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    applied: list[list[int]] = []
    real_apply = services_registry.certificates_apply

    def recording(**kwargs: Any) -> int:
        applied.append([row.row for row in kwargs["rows"]])
        return real_apply(**kwargs)

    monkeypatch.setattr(services_registry, "certificates_apply", recording)

    with django_capture_on_commit_callbacks(execute=True):
        upload_resume(upload=stopped_after_the_first_chunk, actor=ming)

    upload = CertificateUpload.objects.get(pk=stopped_after_the_first_chunk.pk)
    assert applied == [[4, 5], [6]]
    assert (upload.status, upload.total_rows, upload.processed_rows, upload.applied_rows) == (
        UploadStatus.DONE,
        5,
        5,
        5,
    )
    assert (upload.applied_through_row, upload.failure) == (6, "")
    assert IssuedCertificate.objects.filter(cb=cb).count() == 5
    assert CertificateStatusChange.objects.count() == 5
    resumed = AuditEvent.objects.get(event_type="certificate_upload.resumed", aggregate_id=str(upload.pk))
    assert (resumed.actor_id, resumed.old_values, resumed.new_values) == (
        ming.pk,
        {"status": "failed"},
        {"status": "queued", "applied_through_row": 3},
    )


def test_only_the_bodys_people_resume_and_only_a_stopped_file_upload(
    cb: Cab, ming: User, other_cab_user: User, stopped_after_the_first_chunk: CertificateUpload
) -> None:
    with pytest.raises(NotPermitted):
        upload_resume(upload=stopped_after_the_first_chunk, actor=other_cab_user)
    batch = CertificateUpload.objects.create(
        cb=cb, format=UploadFormat.API, status=UploadStatus.FAILED, uploaded_by=ming
    )
    with pytest.raises(StateConflict) as not_a_file:
        upload_resume(upload=batch, actor=ming)
    running = _working(cb, ming, since=dt.timedelta(seconds=5))
    with pytest.raises(StateConflict) as still_running:
        upload_resume(upload=running, actor=ming)

    assert not_a_file.value.code == "upload_not_resumable"
    assert still_running.value.code == "illegal_status_change"
    assert CertificateUpload.objects.get(pk=stopped_after_the_first_chunk.pk).status == UploadStatus.FAILED


def test_the_page_shows_an_interrupted_upload_with_its_last_row_and_a_resume_button(
    cb: Cab, ming: User, client_for: Any
) -> None:
    upload = _working(cb, ming, since=LONG_AGO)

    page = client_for(ming).get(reverse("certification:upload_detail", args=[upload.pk])).content.decode()

    upload.refresh_from_db()
    assert upload.status == UploadStatus.INTERRUPTED
    assert "The valid rows up to row 5001 were applied (5000 rows); no row after it was." in page
    assert f'action="{reverse("certification:upload_resume", args=[upload.pk])}"' in page


def test_the_api_resumes_an_interrupted_upload_and_answers_with_its_state(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = _working(cb, ming, since=LONG_AGO)
    uploads_interrupt_stale()
    client = APIClient()
    client.force_authenticate(ming)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/api/certificate-uploads/{upload.pk}/resume/")

    assert response.status_code == 202
    assert (response.json()["status"], response.json()["applied_through_row"]) == ("queued", 5_001)
    assert len(queued) == 1
