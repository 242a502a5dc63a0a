"""Queries about assessors. ``assessor_qs_for`` decides who sees whose record; the rest serve the team proposal.

Secretariat staff and decision makers see every assessor; an assessor sees only their own
record; everyone else sees none. The team-proposal queries (qualified, conflicted, available,
coverage) are for the secretariat's services and take no user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab, Programme
from accreditation.selectors import AnyUser
from assessors.choices import CompetenceStatus, QualificationStatus
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from core.dates import add_months
from core.roles import Role, has_role, is_staff_reader

#: A tie with a CAB that ended less than this many years ago still excludes the assessor
#: (ISO/IEC 17021-1 and CNAS rules use two years for consultancy and employment).
CONFLICT_COOLING_OFF_YEARS = 2


def assessor_qs_for(user: AnyUser) -> QuerySet[AssessorProfile]:
    profiles = AssessorProfile.objects.select_related("user")
    if not user.is_authenticated:
        return profiles.none()
    if is_staff_reader(user):
        return profiles
    if has_role(user, Role.ASSESSOR):
        return profiles.filter(user=user)
    return profiles.none()


def profile_of(user: AnyUser) -> AssessorProfile | None:
    if not user.is_authenticated:
        return None
    return AssessorProfile.objects.filter(user=user).select_related("user").first()


def qualification_qs_for(user: AnyUser) -> QuerySet[Qualification]:
    return Qualification.objects.select_related("assessor__user", "programme", "decided_by").filter(
        assessor__in=assessor_qs_for(user)
    )


def competence_qs_for(user: AnyUser) -> QuerySet[Competence]:
    return Competence.objects.select_related("assessor__user", "code__programme", "decided_by").filter(
        assessor__in=assessor_qs_for(user)
    )


def training_record_qs_for(user: AnyUser) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.select_related("assessor__user").filter(assessor__in=assessor_qs_for(user))


def conflict_qs_for(user: AnyUser) -> QuerySet[ConflictOfInterest]:
    return ConflictOfInterest.objects.select_related("assessor__user", "cab").filter(assessor__in=assessor_qs_for(user))


def unavailability_qs_for(user: AnyUser) -> QuerySet[Unavailability]:
    return Unavailability.objects.select_related("assessor__user").filter(assessor__in=assessor_qs_for(user))


def competence_code_qs(programme: Programme | None = None) -> QuerySet[CompetenceCode]:
    """The codes in use; code lists are not secret, every signed-in user may read them."""
    codes = CompetenceCode.objects.filter(is_active=True).select_related("programme")
    return codes.filter(programme=programme) if programme is not None else codes


def pending_qualifications() -> QuerySet[Qualification]:
    """The secretariat's approvals queue, oldest request first."""
    return (
        Qualification.objects.filter(status=QualificationStatus.REQUESTED)
        .select_related("assessor__user", "programme")
        .order_by("requested_at", "pk")
    )


def pending_competences() -> QuerySet[Competence]:
    return (
        Competence.objects.filter(status=CompetenceStatus.REQUESTED)
        .select_related("assessor__user", "code__programme")
        .order_by("requested_at", "pk")
    )


# --- what the team proposal asks -----------------------------------------------------------------


def valid_on(on_date: dt.date) -> Q:
    """Approved qualifications whose validity covers ``on_date`` (no end date: open-ended)."""
    return Q(status=QualificationStatus.APPROVED, valid_from__lte=on_date) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on_date)
    )


def qualified_assessors(*, programme: Programme, role: str, on_date: dt.date) -> QuerySet[AssessorProfile]:
    """Assessors holding ``role`` under ``programme``, approved and valid on ``on_date``."""
    qualified = Qualification.objects.filter(valid_on(on_date), programme=programme, role=role)
    return AssessorProfile.objects.filter(pk__in=qualified.values("assessor_id")).select_related("user")


def conflicted_assessor_ids(*, cab: Cab, on_date: dt.date) -> dict[int, str]:
    """Assessor ids that may not assess ``cab`` on ``on_date``, each with the reasons, joined for people to read.

    A declared tie counts from its start; after its end it still counts for
    ``CONFLICT_COOLING_OFF_YEARS`` years.
    """
    cutoff = add_months(on_date, -12 * CONFLICT_COOLING_OFF_YEARS)
    conflicts = (
        ConflictOfInterest.objects.filter(cab=cab, started_on__lte=on_date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))
        .order_by("assessor_id", "started_on", "pk")
    )
    reasons: dict[int, list[str]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.ended_on is None:
            text = _("{kind} with {cab} since {start}").format(
                kind=conflict.get_kind_display(), cab=cab.name, start=conflict.started_on
            )
        else:
            text = _("{kind} with {cab} from {start} to {end}").format(
                kind=conflict.get_kind_display(), cab=cab.name, start=conflict.started_on, end=conflict.ended_on
            )
        reasons[conflict.assessor_id].append(str(text))
    return {assessor_id: "; ".join(texts) for assessor_id, texts in reasons.items()}


def available(*, assessor_ids: Iterable[int], start: dt.date, end: dt.date) -> set[int]:
    """Those of ``assessor_ids`` with no unavailable period touching ``start``..``end`` (both included)."""
    wanted = set(assessor_ids)
    busy = set(
        Unavailability.objects.filter(assessor_id__in=wanted, start__lte=end, end__gte=start).values_list(
            "assessor_id", flat=True
        )
    )
    return wanted - busy


def competence_coverage(*, programme: Programme, on_date: dt.date) -> dict[str, set[int]]:
    """For each code of ``programme``: the assessors with that code approved and a valid qualification there."""
    qualified = Qualification.objects.filter(valid_on(on_date), programme=programme).values("assessor_id")
    rows = Competence.objects.filter(
        status=CompetenceStatus.APPROVED, code__programme=programme, assessor_id__in=qualified
    ).values_list("code__code", "assessor_id")
    coverage: dict[str, set[int]] = defaultdict(set)
    for code, assessor_id in rows:
        coverage[code].add(assessor_id)
    return dict(coverage)


def codes_for_scope_item(*, programme: Programme, attributes: dict[str, object]) -> QuerySet[CompetenceCode]:
    """The codes a scope item needs: its sector codes (``IAF 28``) or its field (食品) matched by Chinese name."""
    raw = attributes.get("sectors")
    sectors = [str(s) for s in raw] if isinstance(raw, list | tuple) else []
    names = [str(attributes[key]) for key in ("field", "discipline") if attributes.get(key)]
    return competence_code_qs(programme).filter(Q(code__in=sectors) | Q(name_zh__in=names))
