"""Which accreditations have an on-site assessment due, in bulk, for the planner and the cycle page.

One query reads, per held accreditation, the cycle facts and the end of its last on-site
assessment held (the statistics' own GROUP BY, ``selectors_statistics._onsite_held_q``), and
whether something already covers the next due date: an open surveillance, special or renewal
application, or an on-site (or hybrid) assessment planned and not yet held. The due dates are
then computed in Python by ``surveillance.cycle.next_onsite_due`` (tens of thousands of tuples).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Programme
from assessors.choices import AssessmentStatus
from assessors.models_teams import Assessment
from surveillance.cycle import (
    HELD_ASSESSMENT_STATUSES,
    HELD_ONSITE_KINDS,
    CycleFacts,
    CycleRules,
    OnsiteDue,
    next_onsite_due,
)
from surveillance.models import PastOnsiteAssessment
from surveillance.selectors_onsite import last_onsite_end
from surveillance.selectors_statistics import HOLDING_STATUSES

#: Accreditations the planner plans for: a suspended one is not surveilled (its suspension ends
#: with a verification of the rectification, or in withdrawal); withdrawn, expired... are over.
PLANNED_STATUSES = frozenset({AccreditationStatus.ACCREDITED, AccreditationStatus.PARTIALLY_SUSPENDED})
#: Applications that cover the next on-site due date while they are open.
COVERING_TYPES = (ApplicationType.SURVEILLANCE, ApplicationType.SPECIAL, ApplicationType.RENEWAL)
OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.ACCEPTED)
#: An assessment in these has not been held yet (its report is not submitted).
NOT_HELD_STATUSES = (AssessmentStatus.PLANNING, AssessmentStatus.TEAM_CONFIRMED)


def _planned_onsite() -> Exists:
    return Exists(
        Assessment.objects.filter(
            application__accreditation=OuterRef("pk"),
            application__status=ApplicationStatus.ACCEPTED,
            kind__in=sorted(HELD_ONSITE_KINDS),
            status__in=NOT_HELD_STATUSES,
        )
    )


@dataclass(frozen=True)
class DueFact:
    accreditation_id: int
    programme_id: int
    due: OnsiteDue
    covered: bool


def due_facts(*, statuses: Collection[str] = HOLDING_STATUSES, programme: Programme | None = None) -> Iterator[DueFact]:
    """The next on-site due date of every accreditation in ``statuses`` (one query, plus the programmes)."""
    queryset: QuerySet[Accreditation] = Accreditation.objects.filter(
        status__in=sorted(statuses), granted_on__isnull=False
    )
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    rows = (
        queryset.annotate(
            last_onsite=last_onsite_end(),
        )
        .annotate(
            open_cover=Exists(
                Application.objects.filter(
                    accreditation=OuterRef("pk"), type__in=COVERING_TYPES, status__in=OPEN_STATUSES
                )
            ),
            planned=_planned_onsite(),
        )
        .values_list(
            "pk", "programme_id", "granted_on", "cycle_start", "cycle_end", "last_onsite", "open_cover", "planned"
        )
        .order_by()
    )
    rules = {item.pk: CycleRules.of(item) for item in Programme.objects.all()}
    for pk, programme_id, granted_on, cycle_start, cycle_end, last_held, open_cover, planned in rows:
        assert granted_on is not None  # filtered above
        due = next_onsite_due(
            CycleFacts(
                rules=rules[programme_id],
                granted_on=granted_on,
                cycle_start=cycle_start,
                cycle_end=cycle_end,
                last_onsite_on=last_held,
            )
        )
        yield DueFact(pk, programme_id, due, bool(open_cover or planned))


# --- the cycle page -------------------------------------------------------------------------------

DUE_OVERDUE = "overdue"
DUE_SOON = "due_soon"


@dataclass(frozen=True)
class CycleRow:
    accreditation: Accreditation
    due: OnsiteDue
    overdue: bool
    planned: Assessment | None


def cycle_rows(
    *, today: dt.date, days: int, programme: Programme | None = None, due_status: str = ""
) -> list[CycleRow]:
    """Held accreditations whose next on-site assessment is overdue or due within ``days``, earliest first."""
    horizon = today + dt.timedelta(days=days)
    wanted: dict[int, OnsiteDue] = {}
    for fact in due_facts(programme=programme):
        overdue = fact.due.due_on < today
        if fact.due.due_on > horizon:
            continue
        if (due_status == DUE_OVERDUE and not overdue) or (due_status == DUE_SOON and overdue):
            continue
        wanted[fact.accreditation_id] = fact.due
    accreditations = Accreditation.objects.select_related("cab", "programme").in_bulk(list(wanted))
    planned: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(
            application__accreditation_id__in=list(wanted),
            application__status=ApplicationStatus.ACCEPTED,
            status__in=NOT_HELD_STATUSES,
        )
        .select_related("application")
        .order_by("planned_start", "pk")
    ):
        planned.setdefault(assessment.application.accreditation_id or 0, assessment)
    rows = [
        CycleRow(accreditations[pk], due, due.due_on < today, planned.get(pk))
        for pk, due in wanted.items()
        if pk in accreditations
    ]
    rows.sort(key=lambda row: (row.due.due_on, row.accreditation.pk))
    return rows


# --- one accreditation's on-site history ---------------------------------------------------------


@dataclass(frozen=True)
class OnsiteHistory:
    accreditation: Accreditation
    #: None when the accreditation is not held (nothing is due).
    due: OnsiteDue | None
    #: On-site and hybrid assessments held in the portal, latest first.
    held: list[Assessment]
    #: Those recorded from the old files, latest first.
    recorded: list[PastOnsiteAssessment]


def onsite_history(accreditation: Accreditation) -> OnsiteHistory:
    """What the cycle of ``accreditation`` counts from, and when its next on-site assessment is due."""
    held = list(
        Assessment.objects.filter(
            application__accreditation=accreditation,
            kind__in=sorted(HELD_ONSITE_KINDS),
            status__in=sorted(HELD_ASSESSMENT_STATUSES),
        )
        .select_related("application")
        .order_by("-planned_end", "-pk")
    )
    recorded = list(accreditation.past_onsite_assessments.select_related("recorded_by"))
    due = None
    if accreditation.status in HOLDING_STATUSES and accreditation.granted_on is not None:
        ends = [item.planned_end for item in held]
        ends += [item.held_to for item in recorded if item.kind in HELD_ONSITE_KINDS]
        due = next_onsite_due(
            CycleFacts(
                rules=CycleRules.of(accreditation.programme),
                granted_on=accreditation.granted_on,
                cycle_start=accreditation.cycle_start,
                cycle_end=accreditation.cycle_end,
                last_onsite_on=max(ends, default=None),
            )
        )
    return OnsiteHistory(accreditation, due, held, recorded)
