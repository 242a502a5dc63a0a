"""Demonstration supervision history: the last on-site assessment of each demo accreditation.

The demo register (``seed_demo``) grants accreditations years back but holds no on-site
assessment of them in the portal, so every one of them would show its surveillance as overdue.
A real register migrated into the portal records each body's last visit from the old files
(``services_cycle.past_onsite_record``); the demo does the same, with dates chosen so that the
cycle page shows what a secretariat sees on an ordinary day: most bodies due later, some due
within the planner's lead time, a few overdue.

Deterministic (a seed per accreditation number) and idempotent (one report reference per
accreditation: a second run records nothing).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accreditation.models import Accreditation
from assessors.choices import AssessmentKind
from core.dates import add_months
from core.models import User
from surveillance.models import PastOnsiteAssessment
from surveillance.selectors_statistics import HOLDING_STATUSES
from surveillance.services_cycle import past_onsite_record

#: One demo accreditation in ``OVERDUE_EVERY`` is overdue, one in ``DUE_SOON_EVERY`` due within the lead time.
OVERDUE_EVERY = 16
DUE_SOON_EVERY = 7
NOTE = "演示数据：迁移前的现场评审记录 (demonstration data: a visit from the old files)"


@dataclass
class SupervisionReport:
    recorded: int = 0


def _days_until_due(index: int, rng: random.Random, lead_days: int) -> int:
    if index % OVERDUE_EVERY == OVERDUE_EVERY // 2:
        return -rng.randint(5, 60)
    if index % DUE_SOON_EVERY == DUE_SOON_EVERY // 2:
        return rng.randint(1, lead_days)
    return rng.randint(lead_days + 1, 600)


@transaction.atomic
def seed_demo_supervision(*, today: dt.date | None = None) -> SupervisionReport:
    """Record the last on-site visit of every held demo accreditation that has none yet."""
    today = today or timezone.localdate()
    secretariat = User.objects.get(username="secretariat")
    report = SupervisionReport()
    recorded = set(PastOnsiteAssessment.objects.values_list("accreditation_id", flat=True))
    held = (
        Accreditation.objects.filter(status__in=sorted(HOLDING_STATUSES), granted_on__isnull=False)
        .select_related("programme")
        .order_by("pk")
    )
    for index, accreditation in enumerate(held):
        granted_on = accreditation.granted_on
        assert granted_on is not None
        programme = accreditation.programme
        # Granted within its first-surveillance period: its first visit after the grant is still to come.
        if accreditation.pk in recorded or add_months(granted_on, programme.first_surveillance_months) > today:
            continue
        rng = random.Random(f"demo-onsite:{accreditation.number or accreditation.pk}")  # noqa: S311 - demo data
        due_on = today + dt.timedelta(days=_days_until_due(index, rng, settings.SURVEILLANCE_LEAD_DAYS))
        held_to = min(add_months(due_on, -programme.max_onsite_interval_months), today - dt.timedelta(days=1))
        held_to = max(held_to, granted_on)
        past_onsite_record(
            accreditation=accreditation,
            actor=secretariat,
            kind=AssessmentKind.ON_SITE if rng.random() < 0.85 else AssessmentKind.HYBRID,
            held_from=held_to - dt.timedelta(days=1),
            held_to=held_to,
            reference=f"{accreditation.number or accreditation.pk}-OS-{held_to:%Y%m}",
            note=NOTE,
        )
        report.recorded += 1
    return report
