"""The daily jobs' framework: a recorded run per job and day, failures recorded, abandoned runs found.

The clock is moved by passing the day to the job (``run_job(job, day)``, ``--day``). The lock
between two processes is proven on PostgreSQL in ``test_jobs_race.py``.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from certification.choices import CertificateStatus
from certification.models import CertificateStatusChange
from surveillance import jobs
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import ABANDONED, STALE_AFTER, note, run_job
from surveillance.models import JobRun
from tests.surveillance.jobs_helpers import certification_body, issued

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 1)


def exploding_body(run: JobRun) -> dict[str, int]:
    note(run, "done_before_failing", 2)
    raise RuntimeError("the disk is full")


def test_a_run_records_its_day_end_counts_and_rows_changed() -> None:
    run = run_job(JobName.DEADLINE_WATCHDOG, DAY, body=lambda run: {"first_part": 2, "second_part": 3})

    run.refresh_from_db()
    assert (run.job, run.run_for, run.status) == (JobName.DEADLINE_WATCHDOG, DAY, JobRunStatus.SUCCEEDED)
    assert run.summary == {"first_part": 2, "second_part": 3}
    assert run.rows_changed == 5
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.errors == ""


def test_a_run_without_a_day_is_for_today() -> None:
    run = run_job(JobName.DEADLINE_WATCHDOG, body=lambda run: {})
    assert run.run_for == timezone.localdate()


def test_a_failing_job_is_recorded_with_its_error_and_what_it_did_and_is_not_raised() -> None:
    run = run_job(JobName.EXPIRY_SWEEP, DAY, body=exploding_body)

    run.refresh_from_db()
    assert run.status == JobRunStatus.FAILED
    assert "RuntimeError: the disk is full" in run.errors
    assert run.finished_at is not None
    # Inside the test's transaction the failed body rolled back to its savepoint, its note with it;
    # outside one (beat, the command) each step commits on its own (test_jobs_race.py shows it).
    assert run.rows_changed == sum(run.summary.values())


def test_when_one_job_fails_the_command_still_runs_the_others_and_then_reports_the_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(jobs.JOB_BODIES, JobName.EXPIRY_SWEEP, "tests.surveillance.test_jobs.exploding_body")
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="Failed: expiry_sweep"):
        call_command("run_supervision_jobs", "--day", "2030-03-01", stdout=out, stderr=err)

    statuses = dict(JobRun.objects.filter(run_for=DAY).values_list("job", "status"))
    assert statuses == {
        JobName.SURVEILLANCE_PLANNER: JobRunStatus.SUCCEEDED,
        JobName.EXPIRY_SWEEP: JobRunStatus.FAILED,
        JobName.SUSPENSION_WATCHDOG: JobRunStatus.SUCCEEDED,
        JobName.DEADLINE_WATCHDOG: JobRunStatus.SUCCEEDED,
        JobName.QUALIFICATION_REMINDERS: JobRunStatus.SUCCEEDED,
    }
    assert "RuntimeError: the disk is full" in err.getvalue()
    assert "deadline_watchdog 2030-03-01: succeeded, 0 rows changed" in out.getvalue()


@pytest.mark.smoke
def test_the_command_runs_every_job_for_the_day_it_is_given_and_a_second_run_changes_nothing() -> None:
    cb = certification_body()
    issued(cb, expiry=DAY - dt.timedelta(days=1))
    out = StringIO()

    call_command("run_supervision_jobs", "--day", "2030-03-01", stdout=out)
    call_command("run_supervision_jobs", "--day", "2030-03-01", "--job", "expiry_sweep", stdout=out)

    runs = list(JobRun.objects.order_by("pk").values_list("job", "run_for", "status", "rows_changed"))
    assert runs == [
        (JobName.SURVEILLANCE_PLANNER, DAY, JobRunStatus.SUCCEEDED, 0),
        (JobName.EXPIRY_SWEEP, DAY, JobRunStatus.SUCCEEDED, 1),
        (JobName.SUSPENSION_WATCHDOG, DAY, JobRunStatus.SUCCEEDED, 0),
        (JobName.DEADLINE_WATCHDOG, DAY, JobRunStatus.SUCCEEDED, 0),
        (JobName.QUALIFICATION_REMINDERS, DAY, JobRunStatus.SUCCEEDED, 0),
        (JobName.EXPIRY_SWEEP, DAY, JobRunStatus.SUCCEEDED, 0),
    ]
    assert "expiry_sweep 2030-03-01: succeeded, 1 rows changed" in out.getvalue()


def test_the_command_refuses_a_day_that_is_not_a_date() -> None:
    with pytest.raises(CommandError, match="is not a date"):
        call_command("run_supervision_jobs", "--day", "1 March")
    assert not JobRun.objects.exists()


def test_a_run_left_running_by_a_killed_process_is_marked_abandoned_and_the_next_run_does_the_rest() -> None:
    cb = certification_body()
    # The killed run expired one certificate (and wrote its history) before it died.
    done = issued(cb, expiry=DAY - dt.timedelta(days=3), status=CertificateStatus.EXPIRED)
    CertificateStatusChange.objects.create(
        certificate=done, status=CertificateStatus.EXPIRED, effective_on=DAY - dt.timedelta(days=2)
    )
    left = issued(cb, expiry=DAY - dt.timedelta(days=2))
    killed = JobRun.objects.create(
        job=JobName.EXPIRY_SWEEP,
        run_for=DAY,
        started_at=timezone.now() - STALE_AFTER - dt.timedelta(minutes=1),
        summary={"certificates_expired": 1},
        rows_changed=1,
    )

    run = run_job(JobName.EXPIRY_SWEEP, DAY)

    killed.refresh_from_db()
    assert (killed.status, killed.errors) == (JobRunStatus.FAILED, ABANDONED)
    assert killed.finished_at is not None
    assert run.status == JobRunStatus.SUCCEEDED
    assert run.summary["certificates_expired"] == 1
    left.refresh_from_db()
    assert left.status == CertificateStatus.EXPIRED
    assert CertificateStatusChange.objects.filter(certificate=done).count() == 1
    assert list(CertificateStatusChange.objects.filter(certificate=left).values_list("effective_on", flat=True)) == [
        DAY - dt.timedelta(days=1)
    ]


@pytest.mark.smoke
@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL uses its advisory lock"
)
def test_without_advisory_locks_a_recent_running_run_holds_the_job_and_the_next_one_is_skipped() -> None:
    JobRun.objects.create(job=JobName.EXPIRY_SWEEP, run_for=DAY, started_at=timezone.now() - dt.timedelta(minutes=5))

    run = run_job(JobName.EXPIRY_SWEEP, DAY, body=lambda run: {"never": 1})

    assert (run.status, run.rows_changed, run.summary) == (JobRunStatus.SKIPPED, 0, {})
    assert JobRun.objects.filter(status=JobRunStatus.RUNNING).count() == 1
