"""Drill: the database restarts while the nightly expiry sweep runs.

To the job's process a PostgreSQL restart is its server connection terminated under it: the
next statement fails ("terminating connection due to administrator command", or "the connection
is closed"), and everything it sends afterwards on that connection fails too. The drill does
exactly that to the job's own connection with ``pg_terminate_backend`` from another connection,
from a hook inside the job after it committed its first batch of certificates: once between two
batches (the dead connection meets the job outside a transaction), once inside the second batch's
transaction. The run must be recorded as failed with the error (on a new connection), the
committed batch must stay, and the next run expires the rest, with the totals right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection

from certification.choices import CertificateStatus
from certification.models import CertificateStatusChange, IssuedCertificate
from surveillance import jobs_expiry
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import run_job
from surveillance.jobs_expiry import expiry_sweep
from surveillance.models import JobRun
from tests.drills.harness import ON_POSTGRES
from tests.surveillance.jobs_helpers import certification_body, issued

pytestmark = ON_POSTGRES

DAY = dt.date(2030, 3, 1)
LAPSED = 4


def _restart_the_database_for_this_process() -> None:
    """Terminate this process's server connection from another one, and wait until it is gone."""
    pid = connection.connection.info.backend_pid
    params: dict[str, Any] = {"dbname": connection.settings_dict["NAME"], "autocommit": True}
    for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if connection.settings_dict.get(key):
            params[param] = str(connection.settings_dict[key])
    with psycopg.connect(**params) as admin:
        terminated = admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()
    assert terminated == (True,)


def _sweep() -> JobRun:
    return run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: expiry_sweep(run, certificate_batch=1))


@pytest.fixture
def lapsed_certificates() -> list[IssuedCertificate]:
    cb = certification_body()
    return [issued(cb, expiry=DAY - dt.timedelta(days=days)) for days in range(1, LAPSED + 1)]


def _assert_failed_then_completed(interrupted: JobRun) -> None:
    # The run is recorded failed, with the error and what it committed before the connection died.
    assert interrupted.status == JobRunStatus.FAILED
    assert "terminating connection due to administrator command" in interrupted.errors
    assert (interrupted.summary, interrupted.rows_changed) == ({"certificates_expired": 1}, 1)
    stored = JobRun.objects.get(pk=interrupted.pk)
    assert (stored.status, stored.finished_at is not None, stored.rows_changed) == (JobRunStatus.FAILED, True, 1)
    # The committed batch stays.
    assert IssuedCertificate.objects.filter(status=CertificateStatus.EXPIRED).count() == 1

    # The next run expires the rest; the totals are right, nothing twice.
    resumed = _sweep()

    assert (resumed.status, resumed.summary["certificates_expired"]) == (JobRunStatus.SUCCEEDED, LAPSED - 1)
    assert IssuedCertificate.objects.filter(status=CertificateStatus.EXPIRED).count() == LAPSED
    assert CertificateStatusChange.objects.filter(status=CertificateStatus.EXPIRED).count() == LAPSED
    assert sorted(JobRun.objects.values_list("status", flat=True)) == [JobRunStatus.FAILED, JobRunStatus.SUCCEEDED]


def test_a_database_restart_between_two_batches_records_the_run_failed_keeps_the_first_batch_and_the_next_run_ends_it(
    lapsed_certificates: list[IssuedCertificate], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = jobs_expiry.lapsed_certificate_batches

    def restarts_after_the_first_batch(day: dt.date, size: int) -> Iterator[list[int]]:
        batches = real(day, size)
        yield next(batches)  # the sweep expires and commits this batch before asking for the next
        _restart_the_database_for_this_process()
        yield from batches

    monkeypatch.setattr(jobs_expiry, "lapsed_certificate_batches", restarts_after_the_first_batch)

    interrupted = _sweep()

    monkeypatch.setattr(jobs_expiry, "lapsed_certificate_batches", real)
    _assert_failed_then_completed(interrupted)


def test_a_database_restart_inside_a_batch_rolls_that_batch_back_records_the_run_failed_and_the_next_run_ends_it(
    lapsed_certificates: list[IssuedCertificate], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = jobs_expiry.expire_certificates
    calls = {"n": 0}

    def restarts_in_the_second_batch(ids: list[int], day: dt.date, now: dt.datetime) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            _restart_the_database_for_this_process()
        return real(ids, day, now)

    monkeypatch.setattr(jobs_expiry, "expire_certificates", restarts_in_the_second_batch)

    interrupted = _sweep()

    monkeypatch.setattr(jobs_expiry, "expire_certificates", real)
    _assert_failed_then_completed(interrupted)
