"""Background work of the supervision app: tasks take ids, re-fetch and do one thing."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from surveillance import jobs_deadlines, jobs_expiry, jobs_planner  # noqa: F401 - their notification messages register
from surveillance.choices import JobName
from surveillance.jobs import run_job
from surveillance.models import Complaint
from surveillance.notifications_complaints import COMPLAINANT_EMAILS


@shared_task(time_limit=60, soft_time_limit=50)
def send_complaint_email(complaint_id: int, event: str) -> bool:
    """E-mail the complainant about ``event`` in the language they wrote in; ``False`` when there is no one to tell."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.complainant_email or event not in COMPLAINANT_EMAILS:
        return False
    language = complaint.language if complaint.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    status_url = settings.SITE_URL + reverse("surveillance:complaint_status", args=[complaint.tracking_number])
    context = {"complaint": complaint, "status_url": status_url}
    with translation.override(language):
        subject = render_to_string(f"surveillance/emails/complaint_{event}_subject.txt", context).strip()
        body = render_to_string(f"surveillance/emails/complaint_{event}.txt", context)
    send_mail(subject, body, None, [complaint.complainant_email])
    return True


# --- the daily jobs (``surveillance.jobs``), started by beat (``CELERY_BEAT_SCHEDULE``) -----------------
# Each takes the day as an ISO date (JSON only) or none for today, runs the job under its lock and
# returns the run's id. A failure is recorded on the run, not raised (see ``surveillance.jobs``).


def _run(job: str, day: str | None) -> int:
    return run_job(job, dt.date.fromisoformat(day) if day else None).pk


@shared_task(time_limit=30 * 60, soft_time_limit=28 * 60)
def run_surveillance_planner(day: str | None = None) -> int:
    return _run(JobName.SURVEILLANCE_PLANNER, day)


@shared_task(time_limit=30 * 60, soft_time_limit=28 * 60)
def run_expiry_sweep(day: str | None = None) -> int:
    return _run(JobName.EXPIRY_SWEEP, day)


@shared_task(time_limit=30 * 60, soft_time_limit=28 * 60)
def run_suspension_watchdog(day: str | None = None) -> int:
    return _run(JobName.SUSPENSION_WATCHDOG, day)


@shared_task(time_limit=30 * 60, soft_time_limit=28 * 60)
def run_deadline_watchdog(day: str | None = None) -> int:
    return _run(JobName.DEADLINE_WATCHDOG, day)


@shared_task(time_limit=30 * 60, soft_time_limit=28 * 60)
def run_qualification_reminders(day: str | None = None) -> int:
    return _run(JobName.QUALIFICATION_REMINDERS, day)


#: The task that runs each job, for the "run now" button.
JOB_TASKS = {
    JobName.SURVEILLANCE_PLANNER: run_surveillance_planner,
    JobName.EXPIRY_SWEEP: run_expiry_sweep,
    JobName.SUSPENSION_WATCHDOG: run_suspension_watchdog,
    JobName.DEADLINE_WATCHDOG: run_deadline_watchdog,
    JobName.QUALIFICATION_REMINDERS: run_qualification_reminders,
}
