"""The surveillance planner for day D: opens the surveillance assessments falling due.

For each accredited (or partially suspended) accreditation whose next on-site assessment is due
(``surveillance.cycle``) on or before D + ``SURVEILLANCE_LEAD_DAYS``, overdue included, and that
nothing covers yet (no open surveillance, special or renewal application, no on-site assessment
planned and not yet held: ``selectors_cycle.due_facts``, one query for the whole register), the
planner opens a SURVEILLANCE application (``application_open_by_body``) and plans its on-site
assessment (``assessment_create``) ending two weeks before the due date (or two weeks from D at
the earliest, for one already due); the secretariat then proposes the team and agrees the dates
with the CAB. Both services audit the move with no actor (a scheduled job). Each accreditation
is one transaction, so a run that stops halfway keeps what it planned and the next run does the
rest; what it planned now covers the due date, so a second run plans nothing more. The CAB's
members hear of their assessment; the secretariat gets one summary per run.

**Not planned here:**

- A suspended accreditation: its suspension ends by a verified rectification or a withdrawal
  (the suspension watchdog), not by surveillance.
- A due date set by the reassessment rule (the cycle ends first): that on-site assessment is the
  reassessment of a renewal application, which the CAB submits after the expiry sweep's
  "renewal due" reminder. An open renewal application covers the due date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation
from accreditation.notifications import cab_members, secretariat_users
from accreditation.services.applications import application_open_by_body
from assessors.choices import AssessmentKind
from assessors.models_teams import Assessment
from assessors.services_teams import assessment_create
from core.errors import DomainError
from core.notifications import notify, register
from surveillance.cycle import DueRule, OnsiteDue
from surveillance.jobs import note
from surveillance.models import JobRun
from surveillance.selectors_cycle import PLANNED_STATUSES, due_facts

#: The planned visit ends this long before the due date, and starts no sooner than this from D.
MARGIN = dt.timedelta(days=14)
#: Days of the planned visit (the secretariat adjusts them with the team).
VISIT_DAYS = 2

PART = "surveillance_planned"

register(
    "surveillance.planned",
    subject=_("Surveillance assessment of {number} planned"),
    body=_(
        "The on-site surveillance of accreditation {number} ({programme}) of {cab} is due by {due_on}. "
        "It is planned for {start} to {end}; the secretariat will propose the team and agree the dates."
    ),
)
register(
    "surveillance.planner_summary",
    subject=_("Surveillance planner: {count} assessment(s) planned"),
    body=_("The surveillance planner opened {count} surveillance assessment(s) due by {horizon}: {references}."),
)


def planned_dates(due_on: dt.date, day: dt.date) -> tuple[dt.date, dt.date]:
    """The visit ends ``MARGIN`` before the due date, but starts at least ``MARGIN`` after ``day``."""
    start = max(due_on - MARGIN - dt.timedelta(days=VISIT_DAYS - 1), day + MARGIN)
    return start, start + dt.timedelta(days=VISIT_DAYS - 1)


@transaction.atomic
def plan_surveillance(
    *, accreditation: Accreditation, due: OnsiteDue, day: dt.date, run: JobRun | None = None
) -> Assessment:
    """Open the surveillance application of ``accreditation`` and plan its on-site assessment."""
    application = application_open_by_body(
        accreditation=accreditation,
        type=ApplicationType.SURVEILLANCE,
        actor=None,
        note=gettext("Opened by the surveillance planner: on-site assessment due by {date}.").format(
            date=due.due_on.isoformat()
        ),
    )
    start, end = planned_dates(due.due_on, day)
    assessment = assessment_create(
        application=application, actor=None, kind=AssessmentKind.ON_SITE, planned_start=start, planned_end=end
    )
    notify(
        recipients=cab_members(application.cab_id),
        kind="surveillance.planned",
        params={
            "number": accreditation.number or "",
            "programme": accreditation.programme.name,
            "cab": accreditation.cab.name_zh,
            "due_on": due.due_on.isoformat(),
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
        link=reverse("accreditation:application_detail", args=[application.pk]),
    )
    if run is not None:
        note(run, PART, 1)
    return assessment


def surveillance_planner(run: JobRun) -> dict[str, int]:
    day = run.run_for
    horizon = day + dt.timedelta(days=settings.SURVEILLANCE_LEAD_DAYS)
    due = {
        fact.accreditation_id: fact.due
        for fact in due_facts(statuses=PLANNED_STATUSES)
        if not fact.covered and fact.due.due_on <= horizon and fact.due.rule != DueRule.REASSESSMENT
    }
    references: list[str] = []
    accreditations = Accreditation.objects.select_related("cab", "programme").in_bulk(sorted(due))
    refused: list[str] = []
    for pk in sorted(due, key=lambda pk: (due[pk].due_on, pk)):
        try:
            assessment = plan_surveillance(accreditation=accreditations[pk], due=due[pk], day=day, run=run)
        except DomainError as error:  # e.g. no published scope: the others are still planned
            refused.append(f"{accreditations[pk]}: {error.code}")
            continue
        references.append(str(assessment.application.reference))
    if references:
        notify(
            recipients=secretariat_users(),
            kind="surveillance.planner_summary",
            params={"count": len(references), "horizon": horizon.isoformat(), "references": ", ".join(references)},
            link=reverse("surveillance:cycle"),
        )
    if refused:
        # The run is marked failed with this list (staff see it on the jobs page); what was planned stays.
        raise RuntimeError("Not planned: " + "; ".join(refused))
    return {PART: len(references)}
