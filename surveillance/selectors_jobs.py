"""Who reads the daily jobs' runs, and what the secretariat should hear about them.

The accreditation body's staff (secretariat and decision makers) read every run; nobody else
reads any. A job "needs attention" when its latest run since yesterday failed, or when it has
not run (successfully or still running) since yesterday: beat runs each job every night, so a
silent gap means beat or the worker is down (or, in the embedded default, nobody ran
``manage.py run_supervision_jobs``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.selectors import AnyUser
from core.roles import is_staff_reader
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import registered_jobs
from surveillance.models import JobRun


def job_run_qs_for(user: AnyUser) -> QuerySet[JobRun]:
    runs = JobRun.objects.order_by("-started_at", "-pk")
    return runs if is_staff_reader(user) else runs.none()


@dataclass(frozen=True)
class JobState:
    """One registered job: its latest run, and why it needs attention (empty when it does not)."""

    job: str
    latest: JobRun | None
    problem: str = ""

    @property
    def label(self) -> str:
        return str(JobName(self.job).label)


FAILED, MISSING = "failed", "missing"


def job_states(today: dt.date | None = None) -> list[JobState]:
    """Each registered job with its latest run; ``problem`` is ``failed`` or ``missing`` (since yesterday)."""
    since = (today or timezone.localdate()) - dt.timedelta(days=1)
    states = []
    for job in registered_jobs():
        runs = JobRun.objects.filter(job=job).order_by("-started_at", "-pk")
        latest = runs.first()
        recent = runs.filter(run_for__gte=since).exclude(status=JobRunStatus.SKIPPED).first()
        if recent is None:
            problem = MISSING
        elif recent.status == JobRunStatus.FAILED:
            problem = FAILED
        else:
            problem = ""
        states.append(JobState(job=job, latest=latest, problem=problem))
    return states


def jobs_needing_attention(today: dt.date | None = None) -> list[JobState]:
    return [state for state in job_states(today) if state.problem]


#: Readable names of the parts the jobs count (``JobRun.summary``); an unknown part shows its key.
PART_LABELS = {
    "accreditations_expired": _("Accreditations expired"),
    "certificates_expired": _("CB-issued certificates expired"),
    "expiry_reminders": _("Expiry reminders"),
    "renewal_reminders": _("Renewal reminders"),
    "certificate_reminders": _("Accreditation certificate reminders"),
    "review_reminders": _("Overdue acceptance reviews reported"),
    "answer_reminders": _("Overdue corrective actions reported"),
    "qualification_reminders": _("Qualification reminders"),
}


@dataclass(frozen=True)
class RunRow:
    """A run as the page shows it: its duration and its counts with their names."""

    run: JobRun
    seconds: float | None
    counts: list[tuple[str, int]]


def run_row(run: JobRun) -> RunRow:
    seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    counts = [(str(PART_LABELS.get(part, part)), int(count)) for part, count in sorted(run.summary.items())]
    return RunRow(run=run, seconds=seconds, counts=counts)
