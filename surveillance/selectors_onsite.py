"""The last on-site assessment held, per accreditation, as one annotation for the cycle's queries.

Held means an on-site or hybrid assessment whose report was submitted in the portal
(``cycle.HELD_ONSITE_KINDS``, ``cycle.HELD_ASSESSMENT_STATUSES``), or one the secretariat
recorded from the old files (``models_cycle.PastOnsiteAssessment``). The cycle page, the
planner, the statistics and the risk score all read it from here, so they agree.
"""

from __future__ import annotations

from django.db.models import DateField, Expression, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from surveillance.cycle import HELD_ASSESSMENT_STATUSES, HELD_ONSITE_KINDS
from surveillance.models import PastOnsiteAssessment


def onsite_held_q() -> Q:
    """The filter of an aggregate over an accreditation's assessments that keeps those held on site."""
    return Q(
        applications__assessments__kind__in=sorted(HELD_ONSITE_KINDS),
        applications__assessments__status__in=sorted(HELD_ASSESSMENT_STATUSES),
    )


def last_onsite_end() -> Expression:
    """For ``Accreditation`` querysets: the end of the last on-site assessment held, or NULL.

    GREATEST skips NULLs on PostgreSQL but returns NULL on SQLite: each side falls back to the other.
    """
    in_portal = Max("applications__assessments__planned_end", filter=onsite_held_q())
    recorded = Subquery(
        PastOnsiteAssessment.objects.filter(accreditation=OuterRef("pk"), kind__in=sorted(HELD_ONSITE_KINDS))
        .order_by("-held_to")
        .values("held_to")[:1],
        output_field=DateField(),
    )
    return Greatest(Coalesce(in_portal, recorded), Coalesce(recorded, in_portal), output_field=DateField())
