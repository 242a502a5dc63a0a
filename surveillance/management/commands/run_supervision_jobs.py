"""Run the supervision app's daily jobs in this process: what beat does in production, by hand.

The embedded default (no REDIS_URL) has no Celery beat, so nothing runs the daily jobs by itself:
run this once a day (from cron, for instance) or when needed. ``--day`` runs them as of another
day (a missed day, or the tests' moved clock). Each job takes its lock like the beat's runs do, so
this is safe next to a running beat too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveillance.choices import JobRunStatus
from surveillance.jobs import registered_jobs, run_job, summary_text


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--day {value!r} is not a date like 2026-05-01.") from exc


class Command(BaseCommand):
    help = (
        "Run the daily supervision jobs now, in this process (all of them in order, or --job NAME), "
        "for today or --day YYYY-MM-DD. Each run is recorded (see /supervision/jobs/). Exits with an "
        "error when a job failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", choices=registered_jobs(), help="Run only this job.")
        parser.add_argument("--day", help="Run as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["day"]) if options["day"] else None
        jobs = [options["job"]] if options["job"] else registered_jobs()
        failed = []
        for job in jobs:
            run = run_job(job, day)
            seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
            line = (
                f"{job} {run.run_for}: {run.status}, {run.rows_changed} rows changed "
                f"({summary_text(run)}) in {seconds:.1f} s"
            )
            if run.status == JobRunStatus.FAILED:
                failed.append(job)
                self.stderr.write(self.style.ERROR(line))
                self.stderr.write(run.errors.rstrip().splitlines()[-1] if run.errors else "")
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (the error is on the run's record).")
