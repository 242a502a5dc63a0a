"""The daily jobs' framework: one recorded run per job and day, under a lock, never twice at once.

``run_job(job, day, body)`` records a ``JobRun`` (status running), calls ``body(run)`` and records
how it ended: the per-part counts (``summary``), the rows changed (their sum) and the errors.

**The lock.** On PostgreSQL a session-level advisory lock keyed by the job's name
(``pg_try_advisory_lock(namespace, crc32(name))``, the two-key form, so it never meets the audit
trail's one-key lock) is taken before anything else; a run that cannot take it (another beat
process, or a "run now" while the nightly run is busy) is recorded as ``skipped`` and returns.
The lock dies with the connection, so a killed worker never leaves it behind. On SQLite (the
embedded default: one process, no beat, jobs run by hand) there are no advisory locks; the portal
opens SQLite transactions with ``BEGIN IMMEDIATE``, so the claim is a row check inside one write
transaction instead: a run of the same job that started less than ``STALE_AFTER`` ago counts as
holding the lock.

**Interrupted runs.** Holding the lock proves that no other run of the job is alive (on SQLite:
none younger than ``STALE_AFTER``), so a run still marked running is left over from a process
that died; it is marked failed ("abandoned") before the new run starts. The jobs' work is
set-based and idempotent for its day and commits in small steps, so the new run simply does
what is left.

**A lost connection.** When the database restarts (or the job's backend is terminated) under a
running body, the body fails with the connection's error and the connection is dead: the failure
is then recorded on a fresh one (``_record_failure``). The committed steps stay, the advisory lock
went with the old session, and the next run does the rest.

**Failures.** An exception in ``body`` marks the run failed with the traceback and is logged,
but is not raised again: the management command goes on with the next job and a beat task ends
normally, so tomorrow's run is unaffected (beat schedules each day's run independently anyway).
Whoever needs the outcome reads ``run.status``; the command exits with an error when a job
failed, and the secretariat sees it on the jobs page and on My work.

**Counts.** A body notes progress with ``note(run, part, count)`` as each step commits (so a run
that fails halfway still says what it did) and returns its final per-part counts, merged over
what it noted. Every count is a number of rows changed (or reminders sent); ``rows_changed`` is
their sum, and a second run on the same day has ``rows_changed == 0``.

Long delays (a reminder 180 days ahead, a suspension's end) are dates in the database that the
daily jobs compare with the day; nothing waits in a Celery countdown.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import User
from core.notifications import notify
from surveillance.choices import JobName, JobRunStatus
from surveillance.models import JobRun, ReminderSent

logger = logging.getLogger(__name__)

JobBody = Callable[[JobRun], dict[str, int]]

#: The first key of the jobs' advisory locks (the second is the job name's CRC-32).
LOCK_NAMESPACE = 17_011
#: On SQLite, a run marked running for longer than this is taken as abandoned (the Celery time
#: limit of a job is 30 minutes; a run is never legitimately this long).
STALE_AFTER = dt.timedelta(hours=2)
#: The ``errors`` text of a run a later run found abandoned (technical log text, like tracebacks).
ABANDONED = "abandoned: the process running this job stopped before it finished; the next run did the rest."

#: Each job's body, by dotted path so the modules load only when a job runs. The order is the
#: order the management command runs them in (and the beat's stagger): the planner, then the expiry
#: sweep, so the watchdogs never act on an accreditation that expired the same night.
JOB_BODIES: dict[str, str] = {
    JobName.SURVEILLANCE_PLANNER: "surveillance.jobs_planner.surveillance_planner",
    JobName.EXPIRY_SWEEP: "surveillance.jobs_expiry.expiry_sweep",
    JobName.SUSPENSION_WATCHDOG: "surveillance.jobs_suspensions.suspension_watchdog_job",
    JobName.DEADLINE_WATCHDOG: "surveillance.jobs_deadlines.deadline_watchdog",
    JobName.QUALIFICATION_REMINDERS: "surveillance.jobs_deadlines.qualification_reminders",
}

# In-process guard for databases without advisory locks: two threads of one server never run the
# same job at once even before the row claim below is committed.
_local_locks: dict[str, threading.Lock] = {job: threading.Lock() for job in JobName.values}


def registered_jobs() -> list[str]:
    return list(JOB_BODIES)


def body_of(job: str) -> JobBody:
    body: JobBody = import_string(JOB_BODIES[job])
    return body


def _lock_keys(job: str) -> tuple[int, int]:
    crc = zlib.crc32(job.encode("ascii"))
    return LOCK_NAMESPACE, crc - (1 << 32) if crc >= 1 << 31 else crc


def _uses_advisory_locks() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def _advisory_lock(job: str) -> Iterator[bool]:
    keys = _lock_keys(job)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", keys)
        taken = bool(cursor.fetchone()[0])
    session = connection.connection
    try:
        yield taken
    finally:
        # A session that died took its lock with it; the new one holds none to release.
        if taken and connection.connection is session:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)
            except Exception:  # a broken connection releases it as it closes
                logger.exception("Could not release the lock of job %s", job)


@contextmanager
def _local_lock(job: str) -> Iterator[bool]:
    lock = _local_locks[job]
    taken = lock.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            lock.release()


def _abandon_left_over(job: str, now: dt.datetime, *, older_than: dt.datetime | None) -> int:
    running = JobRun.objects.filter(job=job, status=JobRunStatus.RUNNING)
    if older_than is not None:
        running = running.filter(started_at__lt=older_than)
    return running.update(status=JobRunStatus.FAILED, finished_at=now, errors=ABANDONED)


def _start(job: str, day: dt.date) -> JobRun | None:
    """Mark what a dead process left running, then claim the job for this run; ``None``: someone holds it."""
    now = timezone.now()
    if _uses_advisory_locks():
        _abandon_left_over(job, now, older_than=None)
        return JobRun.objects.create(job=job, run_for=day, status=JobRunStatus.RUNNING, started_at=now)
    with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: the check and the claim are one write
        _abandon_left_over(job, now, older_than=now - STALE_AFTER)
        if JobRun.objects.filter(job=job, status=JobRunStatus.RUNNING).exists():
            return None
        return JobRun.objects.create(job=job, run_for=day, status=JobRunStatus.RUNNING, started_at=now)


def _skipped(job: str, day: dt.date) -> JobRun:
    now = timezone.now()
    logger.info("Job %s for %s skipped: another run holds its lock", job, day)
    return JobRun.objects.create(job=job, run_for=day, status=JobRunStatus.SKIPPED, started_at=now, finished_at=now)


def note(run: JobRun, part: str, count: int) -> None:
    """Add ``count`` rows changed to ``part`` of the run's summary and save it (call it inside the
    transaction of the step it counts, so the count commits with the work)."""
    run.summary[part] = int(run.summary.get(part, 0)) + count
    run.rows_changed = sum(int(value) for value in run.summary.values())
    JobRun.objects.filter(pk=run.pk).update(summary=run.summary, rows_changed=run.rows_changed)


def _finish(run: JobRun, status: str, counts: dict[str, int] | None, errors: str) -> JobRun:
    if counts:
        run.summary = {**run.summary, **{part: int(value) for part, value in counts.items()}}
    run.rows_changed = sum(int(value) for value in run.summary.values())
    run.status = status
    run.errors = errors
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "rows_changed", "status", "errors", "finished_at"])
    return run


def run_job(job: str, day: dt.date | None = None, body: JobBody | None = None) -> JobRun:
    """Run ``job`` for ``day`` (today in the portal's time zone by default) and return its record.

    ``body`` defaults to the job's registered body (``JOB_BODIES``); tests pass their own.
    """
    if job not in JobName.values:
        raise ValueError(f"Unknown job {job!r}.")
    day = day or timezone.localdate()
    work = body or body_of(job)
    locks = _advisory_lock(job) if _uses_advisory_locks() else _local_lock(job)
    with locks as taken:
        run = _start(job, day) if taken else None
        if run is None:
            return _skipped(job, day)
        # Inside a caller's transaction (a test, a page with atomic requests) a failing body must roll
        # back to here, not poison the transaction the failure is recorded in. Outside one (beat,
        # the command) each step of the body commits on its own.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                counts = work(run)
        except Exception:
            logger.exception("Job %s for %s failed", job, day)
            return _record_failure(run, traceback.format_exc())
        return _finish(run, JobRunStatus.SUCCEEDED, counts, "")


def _record_failure(run: JobRun, errors: str) -> JobRun:
    """Mark the run failed with what it committed; on a fresh connection when the body's died with it."""
    try:
        run.refresh_from_db(fields=["summary", "rows_changed"])
        return _finish(run, JobRunStatus.FAILED, None, errors)
    except DatabaseError:
        if connection.in_atomic_block:  # a caller's transaction died too: nothing to record it in
            raise
        logger.warning("Job %s lost its database connection; recording its failure on a new one", run.job)
    connection.close()
    run.refresh_from_db(fields=["summary", "rows_changed"])
    return _finish(run, JobRunStatus.FAILED, None, errors)


def run_jobs(jobs: list[str] | None = None, day: dt.date | None = None) -> list[JobRun]:
    """Run the given registered jobs (all by default) one after the other; a failure stops nothing."""
    return [run_job(job, day) for job in (jobs or registered_jobs())]


def summary_text(run: JobRun) -> str:
    """``part=count`` pairs for logs and the command's output."""
    return ", ".join(f"{part}={count}" for part, count in sorted(run.summary.items())) or "-"


# --- reminders sent once -----------------------------------------------------------------------


def already_sent(keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that went out before (one query, so a job skips them cheaply)."""
    return set(ReminderSent.objects.filter(key__in=list(keys)).values_list("key", flat=True))


@dataclass(frozen=True)
class Outgoing:
    """One message of a reminder: to whom, which registered message, its placeholders and link."""

    recipients: Iterable[User]
    kind: str
    params: Mapping[str, Any]
    link: str = ""


def remind_once(run: JobRun, part: str, *, keys: Sequence[str], messages: Sequence[Outgoing]) -> bool:
    """Send the messages unless a key was already recorded; record every key in ``keys``.

    Several keys: the messages stand for several reminders at once (an expiry reminder that also
    carries the renewal deadline, one message for several overdue nonconformities). The keys, the
    notifications and the count commit together, so a crash never leaves a reminder recorded but
    unsent, or sent twice. ``False``: another run recorded one of the keys first (the unique key
    decides) and nothing was sent.
    """
    audiences = [(list(message.recipients), message) for message in messages]
    reached = len({user.pk for users, _ in audiences for user in users})
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                ReminderSent(key=key, sent_on=run.run_for, recipients=reached) for key in keys
            )
            for users, message in audiences:
                notify(recipients=users, kind=message.kind, params=message.params, link=message.link)
            note(run, part, 1)
    except IntegrityError:
        return False
    return True
