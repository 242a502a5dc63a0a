"""Drill: Redis is down while people use pages that queue Celery tasks; the tasks run once it is back.

A process of its own serves the pages (``redis_down_client.py``, Django's test client) with
``REDIS_URL`` naming a closed port and tasks not run in-process, as a web server whose Redis is
down: Ming, a CB's clerk, uploads a spreadsheet (the upload task), and a visitor reports a fake
certificate (the secretariat's notification e-mails and the complainant's e-mail). The pages
answer as usual and every task call waits in the database (``TaskOutbox``); when Redis is back a
worker starts, sends what waited, and the work is done. (Pages and the lookup with the cache down
are drilled in ``tests/config/test_cache_down.py``.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from kombu.exceptions import OperationalError

from certification.choices import UploadStatus
from certification.models import CertificateUpload, IssuedCertificate
from config import celery as portal_celery
from config.celery import outbox_flush
from core.models import Notification, TaskOutbox
from core.roles import Role
from surveillance.models import Complaint
from tests.accreditation.factories import UserFactory
from tests.certification.uploads_helpers import cb_member, cert_row, csv_bytes, new_certification_body
from tests.drills.harness import (
    NEEDS_REDIS,
    celery_worker,
    closed_port,
    drill,
    process_env,
    run_python,
    wait_until,
)

ROWS = 30


def _work_done(upload_id: int) -> bool:
    return (
        CertificateUpload.objects.get(pk=upload_id).status == UploadStatus.DONE
        and not TaskOutbox.objects.exists()
        and not Notification.objects.filter(emailed_at__isnull=True).exists()
    )


@drill(NEEDS_REDIS)
def test_with_redis_down_the_pages_answer_their_tasks_wait_in_the_database_and_run_when_it_is_back(
    drill_queue: str, tmp_path: Path
) -> None:
    cb = new_certification_body()
    ming = cb_member(cb)
    alice = UserFactory.create(username="alice")
    alice.groups.add(Group.objects.get(name=Role.SECRETARIAT.value))
    spreadsheet = tmp_path / "certificates.csv"
    spreadsheet.write_bytes(csv_bytes([cert_row(n) for n in range(1, ROWS + 1)]))

    # When: the pages are used by a process whose Redis is down.
    down = process_env(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    answers = json.loads(
        run_python("-m", "tests.drills.redis_down_client", ming.username, str(cb.pk), str(spreadsheet), env=down)
        .stdout.strip()
        .splitlines()[-1]
    )

    # Then every page answered as usual, and nothing was lost: the changes are stored, the task calls kept.
    upload = CertificateUpload.objects.get(cb=cb)
    complaint = Complaint.objects.get()
    assert answers == {
        "upload": [302, f"/certificate-uploads/{upload.pk}/"],
        "complaint": [302, reverse("surveillance:complaint_receipt")],
        "lookup": 200,
    }
    assert upload.status == UploadStatus.QUEUED
    kept = {call.task: call for call in TaskOutbox.objects.all()}
    assert sorted(kept) == [
        "certification.tasks_uploads.process_certificate_upload",
        "core.tasks.send_notification_emails",
        "surveillance.tasks.send_complaint_email",
    ]
    assert kept["certification.tasks_uploads.process_certificate_upload"].args == [upload.pk, "en"]
    assert kept["surveillance.tasks.send_complaint_email"].args == [complaint.pk, "received"]
    assert "Connection refused" in kept["core.tasks.send_notification_emails"].error
    notification = Notification.objects.get(recipient=alice)
    assert notification.emailed_at is None

    # When Redis is back and a worker starts (it sends what waited as it starts; beat does every minute).
    log = tmp_path / "worker.log"
    with celery_worker(drill_queue, log):
        wait_until(lambda: _work_done(upload.pk), timeout=120, what="the tasks that waited", log=log)
        wait_until(lambda: "To: wang.fang@example.cn" in log.read_text(), timeout=30, what="the e-mail", log=log)

    # Then the upload is applied, the secretariat e-mailed and the complainant told, each once.
    upload.refresh_from_db()
    assert (upload.applied_rows, IssuedCertificate.objects.filter(cb=cb).count()) == (ROWS, ROWS)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert log.read_text().count("To: wang.fang@example.cn") == 1


@pytest.mark.django_db
def test_a_flush_while_the_broker_is_still_down_sends_what_it_can_and_keeps_the_rest_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for n in (1, 2, 3):
        TaskOutbox.objects.create(task="core.tasks.send_notification_emails", task_id=f"id-{n}", args=[[n]])
    sent: list[Any] = []

    def broker_fails_after_the_first(name: str, **options: Any) -> None:
        if sent:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        sent.append((name, options["args"], options["task_id"]))

    monkeypatch.setattr(portal_celery.app, "send_task", broker_fails_after_the_first)

    assert outbox_flush() == 1
    assert sent == [("core.tasks.send_notification_emails", [[1]], "id-1")]
    assert list(TaskOutbox.objects.values_list("task_id", flat=True)) == ["id-2", "id-3"]
