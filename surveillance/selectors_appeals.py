"""Who reads which appeal: staff all of them, a CAB's members their CAB's, nobody else any."""

from __future__ import annotations

from django.db.models import QuerySet

from accreditation.models import Decision
from accreditation.selectors import AnyUser, user_cabs
from accreditation.selectors_decisions import decision_qs_for
from core.roles import is_staff_reader
from surveillance.models import Appeal


def appeal_qs_for(user: AnyUser) -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related("cab", "decision__application", "lodged_by", "decided_by")
    if not user.is_authenticated:
        return appeals.none()
    if is_staff_reader(user):
        return appeals
    return appeals.filter(cab__in=user_cabs(user))


def appealable_decision_qs_for(user: AnyUser) -> QuerySet[Decision]:
    """Decisions a CAB member may appeal (their CAB's); the window is checked by the service."""
    if not user.is_authenticated or is_staff_reader(user):
        return decision_qs_for(user).none()
    return decision_qs_for(user).filter(application__cab__in=user_cabs(user))
