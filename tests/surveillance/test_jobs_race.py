"""Two runs of one job at once: the second is skipped; and the expiry sweep commits batch by batch.

Real connections in threads on PostgreSQL (as in ``test_complaints_race.py``); no test
transaction wraps the jobs, so what they commit is committed, as under beat.
``serialized_rollback`` restores the data migrations' rows afterwards.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections

from certification.choices import CertificateStatus
from certification.models import CertificateStatusChange, IssuedCertificate
from surveillance import jobs_expiry
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import run_job
from surveillance.jobs_expiry import expiry_sweep
from surveillance.models import JobRun
from tests.surveillance.jobs_helpers import certification_body, issued

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs advisory locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DAY = dt.date(2030, 3, 1)


def test_of_two_runs_of_one_job_at_once_the_second_is_recorded_as_skipped_and_does_nothing() -> None:
    started, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def slow_body(run: JobRun) -> dict[str, int]:
        started.set()
        assert release.wait(timeout=20)
        return {"done": 1}

    def first() -> None:
        try:
            results["first"] = run_job(JobName.EXPIRY_SWEEP, DAY, body=slow_body)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            results["second"] = run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: {"never": 1})
        finally:
            connections.close_all()

    holder = threading.Thread(target=first)
    holder.start()
    assert started.wait(timeout=20)
    latecomer = threading.Thread(target=second)
    latecomer.start()
    latecomer.join(timeout=20)
    release.set()
    holder.join(timeout=20)

    assert results["first"].status == JobRunStatus.SUCCEEDED
    assert (results["second"].status, results["second"].summary) == (JobRunStatus.SKIPPED, {})
    statuses = sorted(JobRun.objects.values_list("status", flat=True))
    assert statuses == [JobRunStatus.SKIPPED, JobRunStatus.SUCCEEDED]
    # The lock went with the run: the next one takes it.
    assert run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: {}).status == JobRunStatus.SUCCEEDED


def test_an_interrupted_sweep_keeps_the_batches_it_committed_and_the_next_run_expires_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cb = certification_body()
    for days in (1, 2, 3, 4):
        issued(cb, expiry=DAY - dt.timedelta(days=days))
    real = jobs_expiry.expire_certificates
    calls = {"n": 0}

    def dies_on_the_third_batch(ids: list[int], day: dt.date, now: dt.datetime) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("the server went away")
        return real(ids, day, now)

    monkeypatch.setattr(jobs_expiry, "expire_certificates", dies_on_the_third_batch)
    interrupted = run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: expiry_sweep(run, certificate_batch=1))

    assert interrupted.status == JobRunStatus.FAILED
    assert "ConnectionError: the server went away" in interrupted.errors
    assert (interrupted.summary, interrupted.rows_changed) == ({"certificates_expired": 2}, 2)
    assert IssuedCertificate.objects.filter(status=CertificateStatus.EXPIRED).count() == 2

    monkeypatch.setattr(jobs_expiry, "expire_certificates", real)
    resumed = run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: expiry_sweep(run, certificate_batch=1))

    assert resumed.summary["certificates_expired"] == 2
    assert IssuedCertificate.objects.filter(status=CertificateStatus.EXPIRED).count() == 4
    assert CertificateStatusChange.objects.count() == 4
