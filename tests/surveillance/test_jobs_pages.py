"""The jobs page, "run now", the job-run API and the warning on My work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from pytest_django.asserts import assertContains, assertNotContains

from core.dashboard import Panel, panels_for
from core.models import User
from surveillance import tasks
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import registered_jobs
from surveillance.models import JobRun

pytestmark = pytest.mark.django_db


def a_run(job: str = JobName.EXPIRY_SWEEP, *, day: dt.date | None = None, **fields: object) -> JobRun:
    started = timezone.now() - dt.timedelta(seconds=90)
    values: dict[str, object] = {
        "job": job,
        "run_for": day or timezone.localdate(),
        "status": JobRunStatus.SUCCEEDED,
        "started_at": started,
        "finished_at": started + dt.timedelta(seconds=42),
        "rows_changed": 1251,
        "summary": {"certificates_expired": 1250, "expiry_reminders": 1},
    }
    values.update(fields)
    return JobRun.objects.create(**values)


def test_the_secretariat_sees_each_jobs_latest_run_and_the_history_with_counts_and_errors(
    client_for, secretariat: User
) -> None:
    a_run()
    a_run(JobName.DEADLINE_WATCHDOG, status=JobRunStatus.FAILED, errors="Traceback ...\nRuntimeError: <b>boom</b>")

    response = client_for(secretariat).get("/supervision/jobs/")

    assertContains(response, "CB-issued certificates expired: 1250")
    assertContains(response, "42.0 s")
    assertContains(response, "RuntimeError: &lt;b&gt;boom&lt;/b&gt;")
    assertNotContains(response, "<b>boom</b>")
    assertContains(response, "Never run.")  # the qualification reminders
    assertContains(response, "Run now", count=len(registered_jobs()))
    assert [state.job for state, _row in response.context["states"]] == registered_jobs()


def test_a_decision_maker_reads_the_runs_but_cannot_start_one(client_for, decision_maker: User) -> None:
    a_run()
    response = client_for(decision_maker).get("/supervision/jobs/")
    assertContains(response, "Expiry sweep")
    assertNotContains(response, "Run now")
    assert client_for(decision_maker).post("/supervision/jobs/expiry_sweep/run/").status_code == 403
    assert JobRun.objects.count() == 1


def test_the_history_can_be_filtered_by_job_and_status(client_for, secretariat: User) -> None:
    a_run()
    failed = a_run(JobName.DEADLINE_WATCHDOG, status=JobRunStatus.FAILED, errors="x")

    response = client_for(secretariat).get("/supervision/jobs/", {"job": "deadline_watchdog", "status": "failed"})

    assert [row.run.pk for row in response.context["rows"]] == [failed.pk]


def test_run_now_runs_the_job_in_process_without_a_worker_and_records_it(client_for, secretariat: User) -> None:
    response = client_for(secretariat).post("/supervision/jobs/deadline_watchdog/run/", follow=True)

    run = JobRun.objects.get()
    assert (run.job, run.run_for, run.status) == (
        JobName.DEADLINE_WATCHDOG,
        timezone.localdate(),
        JobRunStatus.SUCCEEDED,
    )
    assertContains(response, "“Deadline watchdog” was started.")


def test_run_now_refuses_a_job_that_is_not_registered(client_for, secretariat: User) -> None:
    assert client_for(secretariat).post("/supervision/jobs/no_such_job/run/").status_code == 404
    assert client_for(secretariat).get("/supervision/jobs/expiry_sweep/run/").status_code == 405
    assert not JobRun.objects.exists()


def test_with_the_broker_down_run_now_says_so_and_starts_nothing(
    client_for, secretariat: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_expiry_sweep, "delay", broker_down)

    response = client_for(secretariat).post("/supervision/jobs/expiry_sweep/run/", follow=True)

    assertContains(response, "The task queue cannot be reached")
    assert not JobRun.objects.exists()


def test_the_api_lists_runs_for_staff_and_nothing_for_anyone_else(api_for, secretariat: User, cab_admin: User) -> None:
    run = a_run()

    body = api_for(secretariat).get("/api/supervision/job-runs/", {"job": "expiry_sweep"}).json()

    [entry] = body["results"]
    assert entry == {
        "id": run.pk,
        "job": "expiry_sweep",
        "job_label": "Expiry sweep",
        "run_for": f"{run.run_for}",
        "status": "succeeded",
        "status_label": "Succeeded",
        "started_at": entry["started_at"],
        "finished_at": entry["finished_at"],
        "duration_seconds": 42.0,
        "rows_changed": 1251,
        "summary": {"certificates_expired": 1250, "expiry_reminders": 1},
        "errors": "",
    }
    assert api_for(cab_admin).get("/api/supervision/job-runs/").json()["results"] == []
    assert api_for(cab_admin).get(f"/api/supervision/job-runs/{run.pk}/").status_code == 404


def _job_panel(user: User) -> Panel | None:
    return next((panel for panel in panels_for(user) if panel.key == "scheduled-jobs"), None)


def test_my_work_warns_the_secretariat_of_a_failed_job_and_one_that_did_not_run(
    secretariat: User, cab_admin: User
) -> None:
    today = timezone.localdate()
    a_run(JobName.SURVEILLANCE_PLANNER, day=today)
    a_run(JobName.EXPIRY_SWEEP, day=today)
    a_run(JobName.SUSPENSION_WATCHDOG, day=today)
    a_run(JobName.DEADLINE_WATCHDOG, day=today - dt.timedelta(days=1), status=JobRunStatus.FAILED)
    a_run(JobName.QUALIFICATION_REMINDERS, day=today - dt.timedelta(days=3))

    panel = _job_panel(secretariat)

    assert panel is not None
    assert [(row.label, row.note) for row in panel.rows] == [
        ("Deadline watchdog", f"the run for {today - dt.timedelta(days=1)} failed"),
        ("Assessor qualification reminders", f"no run since the one for {today - dt.timedelta(days=3)}"),
    ]
    assert (panel.count, panel.overdue, panel.url) == (2, 2, "/supervision/jobs/")
    assert _job_panel(cab_admin) is None


def test_my_work_says_nothing_when_every_job_ran_since_yesterday(secretariat: User) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for job in registered_jobs():
        a_run(job, day=yesterday)
    # A failure the day before yesterday was followed by a good run: nothing to say.
    a_run(JobName.EXPIRY_SWEEP, day=yesterday - dt.timedelta(days=1), status=JobRunStatus.FAILED)

    assert _job_panel(secretariat) is None
