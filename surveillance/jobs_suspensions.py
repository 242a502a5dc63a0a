"""The suspension watchdog's work for one day: suspensions past their maximum become withdrawal proposals.

``suspension_watchdog(day)`` is what the daily job runs (the job framework records the run,
holds the lock and catches errors). A suspension in force whose ``suspended_until`` (its start plus
the programme's ``max_suspension_months``, voluntary suspensions included: DOMAIN.md gives every
suspension a maximum) lies before ``day`` and that has no proposal yet gets one, and the
secretariat is notified once. A second run for the same day, or any later day, finds the proposal
and changes nothing; an interrupted run resumes with the suspensions it had not reached, because
each proposal commits on its own. A dismissed proposal is not opened again: the secretariat chose
to keep that suspension.

At national scale there are a few dozen suspensions a year, so the suspensions due are read in
one query and handled one by one, each in its own short transaction.
"""

from __future__ import annotations

import datetime as dt

from surveillance.choices import SUSPENDING_KINDS, SanctionStatus
from surveillance.models import JobRun, Sanction
from surveillance.services_sanctions import withdrawal_proposal_open


def overdue_suspensions(day: dt.date) -> list[int]:
    """Ids of the suspensions in force past their maximum on ``day`` that have no proposal yet."""
    return list(
        Sanction.objects.filter(
            status=SanctionStatus.IN_FORCE,
            kind__in=sorted(SUSPENDING_KINDS),
            suspended_until__lt=day,
            withdrawal_proposal__isnull=True,
        )
        .order_by("suspended_until", "pk")
        .values_list("pk", flat=True)
    )


def suspension_watchdog(day: dt.date) -> dict[str, int]:
    """Open the withdrawal proposals due on ``day``; the counts for the run summary."""
    due = overdue_suspensions(day)
    opened = 0
    for sanction_id in due:
        if withdrawal_proposal_open(sanction=Sanction(pk=sanction_id), day=day) is not None:
            opened += 1
    return {"rows_changed": opened, "suspensions_past_maximum": len(due), "proposals_opened": opened}


def suspension_watchdog_job(run: JobRun) -> dict[str, int]:
    """The body of the daily job (``run_job(JobName.SUSPENSION_WATCHDOG)``); the day is ``run.run_for``.

    Only what changed counts (``surveillance.jobs``): the proposals opened.
    """
    counts = suspension_watchdog(run.run_for)
    return {"withdrawal_proposals_opened": counts["proposals_opened"]}
