"""When an accreditation's next on-site assessment is due, from its programme's cycle rules.

Pure functions of plain facts (no database), so the statistics and, later, the surveillance
planner compute the same date. The rules (ISO/IEC 17011:2017 7.9, kept per programme):

- **First surveillance**: in the first cycle, while no on-site assessment has been held since
  the initial grant, one is due ``first_surveillance_months`` after ``granted_on``.
- **On-site interval**: on-site assessments are at most ``max_onsite_interval_months`` apart,
  counted from the last one held (the initial assessment before the grant counts). In a renewed
  cycle (``cycle_start`` after ``granted_on``) the renewal followed an on-site reassessment; when
  the portal holds no on-site assessment at all (a register loaded from an earlier system), the
  cycle's start stands in for its date rather than pretending none ever happened.
- **Reassessment**: the cycle's reassessment is due by the end of the cycle: ``cycle_end`` when
  the register has one, else ``reassessment_interval_months`` after the cycle's start (the
  initial grant for the first cycle).

The next on-site assessment is due on the earliest of these dates; ``OnsiteDue.rule`` says
which rule set it (on a tie, the order above). What counts as "held" (an on-site or hybrid
assessment whose report was submitted, dated by its planned end) is the caller's choice of
facts; ``HELD_ONSITE_KINDS`` and ``HELD_ASSESSMENT_STATUSES`` say what the statistics use.

What this does not know: a surveillance assessment that is planned but not yet held does not
move the date (the date is when one must have been held); a suspension does not stop the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessors.choices import AssessmentKind, AssessmentStatus
from core.dates import add_months

if TYPE_CHECKING:
    from accreditation.models import Programme

#: Assessments that put assessors at the CAB's premises (a remote one does not reset the clock).
HELD_ONSITE_KINDS = frozenset({AssessmentKind.ON_SITE, AssessmentKind.HYBRID})
#: An assessment whose report has been submitted was held, whether or not its findings are closed
#: yet (``completed`` can go back to ``reported`` on an amendment; the visit stays held).
HELD_ASSESSMENT_STATUSES = frozenset({AssessmentStatus.REPORTED, AssessmentStatus.COMPLETED})


class DueRule(models.TextChoices):
    """Which cycle rule sets the next on-site date."""

    FIRST_SURVEILLANCE = "first_surveillance", _("First surveillance after the initial grant")
    ONSITE_INTERVAL = "onsite_interval", _("Maximum interval between on-site assessments")
    REASSESSMENT = "reassessment", _("Reassessment before the cycle ends")


@dataclass(frozen=True)
class CycleRules:
    """The programme's cycle rules, in months."""

    first_surveillance_months: int
    max_onsite_interval_months: int
    reassessment_interval_months: int

    @classmethod
    def of(cls, programme: Programme) -> CycleRules:
        return cls(
            first_surveillance_months=programme.first_surveillance_months,
            max_onsite_interval_months=programme.max_onsite_interval_months,
            reassessment_interval_months=programme.reassessment_interval_months,
        )


@dataclass(frozen=True)
class CycleFacts:
    """What the due date depends on, for one granted accreditation."""

    rules: CycleRules
    granted_on: dt.date
    cycle_start: dt.date | None = None
    cycle_end: dt.date | None = None
    #: The end of the last on-site (or hybrid) assessment held, before or after the grant.
    last_onsite_on: dt.date | None = None


@dataclass(frozen=True)
class OnsiteDue:
    due_on: dt.date
    rule: DueRule


def next_onsite_due(facts: CycleFacts) -> OnsiteDue:
    """The date by which the next on-site assessment must have been held, and the rule that sets it."""
    rules = facts.rules
    cycle_start = facts.cycle_start or facts.granted_on
    renewed = cycle_start > facts.granted_on
    last_onsite = facts.last_onsite_on
    if renewed and last_onsite is None:
        last_onsite = cycle_start
    candidates: list[OnsiteDue] = []
    if not renewed and (last_onsite is None or last_onsite <= facts.granted_on):
        candidates.append(
            OnsiteDue(add_months(facts.granted_on, rules.first_surveillance_months), DueRule.FIRST_SURVEILLANCE)
        )
    if last_onsite is not None:
        candidates.append(OnsiteDue(add_months(last_onsite, rules.max_onsite_interval_months), DueRule.ONSITE_INTERVAL))
    reassessment = add_months(cycle_start, rules.reassessment_interval_months)
    if facts.cycle_end is not None:
        reassessment = min(reassessment, facts.cycle_end)
    candidates.append(OnsiteDue(reassessment, DueRule.REASSESSMENT))
    # min() keeps the first of equal dates: the order above breaks ties.
    return min(candidates, key=lambda due: due.due_on)


def surveillance_due_on(facts: CycleFacts) -> dt.date:
    """The date by which the next on-site assessment (surveillance or reassessment) must have been held."""
    return next_onsite_due(facts).due_on
